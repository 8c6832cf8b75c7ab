from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "downloads"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue.
        from downloads import jobs  # noqa: F401
