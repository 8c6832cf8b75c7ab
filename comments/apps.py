from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, its part of the work page
        # (works/page.py), of what works does (works/hooks.py) and of a member's data export
        # (accounts/hooks.py): neither works nor accounts imports comments.
        from comments import actions, emails, export, threads  # noqa: F401
        from works import hooks

        hooks.chapter_deleted.connect(actions.recount_comments)
