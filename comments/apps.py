from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, its part of the work page
        # (works/page.py) and of what works does (works/hooks.py): works never imports comments.
        from comments import actions, emails, threads  # noqa: F401
        from works import hooks

        hooks.chapter_deleted.connect(actions.recount_comments)
