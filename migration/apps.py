from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "migration"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the claim invitation job with the queue in every process (web and worker).
        import migration.claims  # noqa: F401
