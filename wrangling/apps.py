from django.apps import AppConfig


class WranglingConfig(AppConfig):
    name = "wrangling"

    def ready(self) -> None:
        # Tells tags (its wrangling verbs check every tag's scope) and works (the tag page's edit
        # link) who may wrangle a tag (tags/hooks.py): neither imports wrangling.
        from tags import hooks
        from wrangling import permissions

        hooks.may_wrangle.provide(permissions.can_wrangle)
