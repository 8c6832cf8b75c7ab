from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue.
        from comments import emails  # noqa: F401
