from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "bookmarks"

    def ready(self) -> None:
        # Registers this app's part of the work page (works/page.py; works never imports bookmarks).
        from bookmarks import work_page  # noqa: F401
