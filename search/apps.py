from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue.
        from search import indexer  # noqa: F401
