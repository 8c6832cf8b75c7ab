from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"

    def ready(self) -> None:
        # Registers the job that emails support's answers to guests, in every process.
        import support.emails  # noqa: F401
