from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue.
        from works import filters  # noqa: F401
