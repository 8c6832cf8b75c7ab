from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "downloads"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, and removes the files of
        # works deleted with their creator's account (works/hooks.py), and adds each work's EPUB
        # and HTML to a member's data export (accounts/hooks.py): neither imports downloads.
        from downloads import cache, export, jobs  # noqa: F401
        from works import hooks

        hooks.works_purged.connect(cache.remove_after_commit)
