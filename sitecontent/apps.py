from django.apps import AppConfig


class SitecontentConfig(AppConfig):
    name = "sitecontent"
    verbose_name = "Site content and settings"
