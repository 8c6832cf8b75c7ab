from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        # Registers the report-outcome and co-creator invitation email jobs in every process, and
        # co-creator consent with works (works/hooks.py; works never imports moderation).
        import moderation.emails  # noqa: F401
        from moderation import consent, roles
        from works import access, hooks

        access.may_moderate.provide(roles.can_moderate)
        hooks.co_creator_refusal.provide(consent.invitation_refusal)
        hooks.co_creators_named.connect(consent.invite_co_creators)
