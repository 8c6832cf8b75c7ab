from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        # Registers the report-outcome and co-creator invitation email jobs in every process,
        # co-creator consent with works (works/hooks.py; works never imports moderation), and the
        # standing and roles loaded with each request's user (accounts/hooks.py).
        import moderation.emails  # noqa: F401
        from accounts import hooks as account_hooks
        from moderation import consent, roles, standing
        from works import access, hooks

        account_hooks.request_user_query(standing.with_standing_and_roles)

        access.may_moderate.provide(roles.can_moderate)
        hooks.co_creator_refusal.provide(consent.invitation_refusal)
        hooks.co_creators_named.connect(consent.invite_co_creators)
