from django.urls import path

from news import views

urlpatterns = [
    path("news", views.news_index, name="news_index"),
    path("news/new", views.news_new, name="news_new"),
    path("news/<int:post_id>", views.news_detail, name="news_detail"),
    path("news/<int:post_id>/comments", views.news_comment, name="news_comment"),
    path("news/comments/<int:comment_id>", views.news_comment_thread, name="news_comment_thread"),
    path("news/comments/<int:comment_id>/edit", views.news_comment_edit, name="news_comment_edit"),
    path("news/comments/<int:comment_id>/delete", views.news_comment_delete, name="news_comment_delete"),
    path("news/<int:post_id>/edit", views.news_edit, name="news_edit"),
    path("news/<int:post_id>/delete", views.news_delete, name="news_delete"),
]
