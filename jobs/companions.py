"""Work the worker does beside the queue, registered by the app that owns it from its `AppConfig.ready()`.

The search index is one (search/apps.py): the worker applies its pending updates in a thread of
their own, so a long job (a PDF) never holds search back, nor the reverse. The worker knows
companions only through this registry, so jobs never imports the apps that use it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Companion:
    # The thread's name, unique among companions.
    name: str
    # Applies what is pending for at most `seconds`; returns how many things it applied.
    apply: Callable[[float], int]
    # Releases what `apply` holds open (the index writer); called when the worker stops.
    close: Callable[[], None]
    # The log line after a round that applied something, with {count}.
    applied: str
    # Keyed jobs queued when a worker starts (a check that repairs what a killed worker left).
    startup_jobs: tuple[str, ...] = ()


_companions: dict[str, Companion] = {}


def register(companion: Companion) -> Companion:
    _companions[companion.name] = companion
    return companion


def companions() -> list[Companion]:
    return list(_companions.values())
