from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, its index updates and health
        # with the worker and /healthz, and its index updates after works or names change
        # (works/hooks.py, accounts/hooks.py): neither jobs, works nor accounts imports search.
        from accounts import hooks as account_hooks
        from jobs import companions, health
        from search import indexer
        from works import hooks

        hooks.works_changed.connect(queue_updates)
        account_hooks.creator_names_changed.connect(queue_updates_later)

        companions.register(
            companions.Companion(
                name="search-indexer",
                apply=lambda seconds: indexer.apply_pending(seconds=seconds),
                close=indexer.close_writer,
                applied="Updated {count} work(s) in the search index.",
                startup_jobs=("check_search_index",),
            )
        )
        health.register_check("search", check_search)


def queue_updates(work_ids: list[int], soon: bool) -> None:
    from search.indexer import queue_updates

    queue_updates(work_ids, soon=soon)


def queue_updates_later(work_ids: Iterable[int]) -> None:
    from search.indexer import queue_updates

    queue_updates(work_ids, soon=False)


def check_search() -> dict[str, Any]:
    from search.indexer import index_health, owns_index

    if not owns_index():
        return {"ok": True, "remote": True}
    health = index_health()
    return {"ok": health["complete"], **health}
