from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, and recomputes works'
        # filters after tag wrangling (tags/hooks.py; tags never imports works).
        from tags import hooks
        from works import filters

        hooks.wrangled.connect(filters.queue_refresh_for_tags)
