"""News in the admin, to look things up (and delete a post or a comment). Posts are written on /news,
which sanitizes them."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin
from news.models import NewsComment, NewsPost


@admin.register(NewsPost)
class NewsPostAdmin(ReadOnlyAdmin):
    deletable = True
    list_display = ("title", "author", "comments_enabled", "published_at")
    list_filter = ("comments_enabled",)
    search_fields = ("title", "body")
    list_select_related = ("author",)
    date_hierarchy = "published_at"


@admin.register(NewsComment)
class NewsCommentAdmin(ReadOnlyAdmin):
    deletable = True
    list_display = ("post", "user", "created_at")
    search_fields = ("body", "user__username", "post__title")
    list_select_related = ("post", "user")
