"""A hook: a lower app's named extension point that higher apps fill from their AppConfig.ready().

The lower app calls the hook where the higher app's work belongs (works.actions after an edit:
the search app queues an index update) without importing it, so the layers in CONTRIBUTING.md
hold. Unlike a Django signal, every hook is declared in one module of the app that calls it,
with its arguments typed, and receivers run in the caller's transaction in registration order
(INSTALLED_APPS order), exactly as the direct calls they replace did.
"""

from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[P]):
    def __init__(self, name: str) -> None:
        self.name = name
        self.receivers: list[Callable[P, None]] = []

    def connect(self, receiver: Callable[P, None]) -> Callable[P, None]:
        # ready() may run again (a test re-populating apps): never call a receiver twice.
        if receiver not in self.receivers:
            self.receivers.append(receiver)
        return receiver

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for receiver in self.receivers:
            receiver(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.receivers)} receiver(s)>"


class Provider(Generic[P, R]):
    """One answer a lower app asks for and a higher app gives (who a reader muted), with a default
    for when no app gives it."""

    def __init__(self, name: str, default: Callable[P, R]) -> None:
        self.name = name
        self.function = default

    def provide(self, function: Callable[P, R]) -> Callable[P, R]:
        self.function = function
        return function

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Provider {self.name}: {self.function.__module__}.{self.function.__qualname__}>"


class FunctionList(list[F]):
    """Functions higher apps add, each once, with `@FUNCTIONS.add` (a part of the data export, a
    part of the request user's query): the lower app calls them all, in the order added."""

    def add(self, function: F) -> F:
        # ready() may run again (a test re-populating apps): never add a function twice.
        if function not in self:
            self.append(function)
        return function


class FunctionsByName(dict[str, F]):
    """Functions higher apps give under a name, with `@FUNCTIONS.register(name)` (a job kind's
    handler, a part of the reader's record): the lower app looks one up by its name."""

    def register(self, name: str) -> Callable[[F], F]:
        def register(function: F) -> F:
            self[name] = function
            return function

        return register
