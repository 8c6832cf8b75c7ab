from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"

    def ready(self) -> None:
        # Registers this app's part of a member's data export (accounts/hooks.py): accounts never imports news.
        from news import export  # noqa: F401
