from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "bookmarks"

    def ready(self) -> None:
        # Registers this app's part of the work page (works/page.py) and its muted-users count for
        # blurbs (works/hooks.py): works never imports bookmarks.
        from bookmarks import listing, work_page  # noqa: F401
