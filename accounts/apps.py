from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Registers the account email and data export jobs with the queue in every process (web and worker).
        import accounts.emails
        import accounts.export
        import accounts.reader  # noqa: F401  (its parts of the reader's record)
