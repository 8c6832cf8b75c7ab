from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue, recomputes works' filters
        # after tag wrangling and says which tags a reader may see on works (tags/hooks.py),
        # deletes or orphans a leaving creator's works and gives its part of a member's data
        # export (accounts/hooks.py): neither tags nor accounts imports works.
        from accounts import hooks as account_hooks
        from tags import hooks
        from works import access, actions, export, filters  # noqa: F401

        hooks.wrangled.connect(filters.queue_refresh_for_tags)
        hooks.tag_use(access.tags_on_works)
        account_hooks.account_deleting.connect(actions.remove_creator)
