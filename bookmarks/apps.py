from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "bookmarks"

    def ready(self) -> None:
        # Registers this app's part of the work page (works/page.py), its muted-users count for
        # blurbs (works/hooks.py), which tags a reader may see on bookmarks (tags/hooks.py),
        # deletes a leaving member's bookmarks and exports a member's (accounts/hooks.py):
        # neither works, tags nor accounts imports bookmarks.
        from accounts import hooks as account_hooks
        from bookmarks import actions, export, listing, work_page  # noqa: F401
        from tags import hooks as tag_hooks

        account_hooks.account_deleting.connect(actions.delete_bookmarks_of)
        tag_hooks.tag_use(listing.tags_on_bookmarks)
