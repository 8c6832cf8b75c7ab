from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self) -> None:
        # Registers this app's background job handlers with jobs.queue and its part of the work
        # page (works/page.py); tells subscribers of new works and chapters when works posts them,
        # and says whom a reader muted (works/hooks.py); forgets a leaving member's kudos and mutes,
        # keeps the mute list in the reader's record and gives its part of a data export
        # (accounts/hooks.py): neither imports community.
        from accounts import hooks as account_hooks
        from community import actions, export, muting, notify, work_page  # noqa: F401
        from works import hooks

        account_hooks.account_deleting.connect(actions.forget_kudos_of)
        account_hooks.account_deleting.connect(actions.forget_mutes_of)
        hooks.muted_user_ids.provide(muting.muted_user_ids)
        hooks.work_posted.connect(notify.work_posted)
        hooks.chapter_posted.connect(notify.chapter_posted)
