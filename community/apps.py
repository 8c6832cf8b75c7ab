from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue.
        from community import notify  # noqa: F401
