from django.urls import path

from sitecontent import views

urlpatterns = [
    path("staff/settings", views.settings_edit, name="site_settings"),
    path("staff/pages", views.site_pages, name="site_pages"),
    path("pages/<slug:slug>", views.site_page, name="site_page"),
    path("pages/<slug:slug>/history", views.site_page_history, name="site_page_history"),
    path("pages/<slug:slug>/versions/<int:number>", views.site_page_version, name="site_page_version"),
    path("pages/<slug:slug>/edit", views.site_page_edit, name="site_page_edit"),
    path("news", views.news_index, name="news_index"),
    path("news/new", views.news_new, name="news_new"),
    path("news/<int:post_id>", views.news_detail, name="news_detail"),
    path("news/<int:post_id>/comments", views.news_comment, name="news_comment"),
    path("news/comments/<int:comment_id>", views.news_comment_thread, name="news_comment_thread"),
    path("news/comments/<int:comment_id>/edit", views.news_comment_edit, name="news_comment_edit"),
    path("news/comments/<int:comment_id>/delete", views.news_comment_delete, name="news_comment_delete"),
    path("news/<int:post_id>/edit", views.news_edit, name="news_edit"),
    path("news/<int:post_id>/delete", views.news_delete, name="news_delete"),
    path("banner/dismiss", views.banner_dismiss, name="banner_dismiss"),
]
