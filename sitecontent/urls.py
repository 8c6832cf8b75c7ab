from django.urls import path

from sitecontent import views

urlpatterns = [
    path("staff/settings", views.settings_edit, name="site_settings"),
    path("staff/pages", views.site_pages, name="site_pages"),
    path("pages/<slug:slug>", views.site_page, name="site_page"),
    path("pages/<slug:slug>/history", views.site_page_history, name="site_page_history"),
    path("pages/<slug:slug>/versions/<int:number>", views.site_page_version, name="site_page_version"),
    path("pages/<slug:slug>/edit", views.site_page_edit, name="site_page_edit"),
    path("banner/dismiss", views.banner_dismiss, name="banner_dismiss"),
]
