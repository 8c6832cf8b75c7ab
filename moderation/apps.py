from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        # Registers the report-outcome and co-creator invitation email jobs in every process.
        import moderation.emails  # noqa: F401
