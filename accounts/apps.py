from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Registers the account email job with the queue in every process (web and worker).
        import accounts.emails  # noqa: F401
