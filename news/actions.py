"""Publishing, editing and deleting the archive's news (comments on it: news/news_comments.py)."""

from typing import Any

from django.db import transaction

from accounts.models import User
from news.models import NewsPost


def publish_news(data: dict[str, Any], author: User) -> NewsPost:
    return NewsPost.objects.create(
        title=data["title"], body=data["body"], comments_enabled=data["comments_enabled"], author=author
    )


@transaction.atomic
def edit_news(post: NewsPost, data: dict[str, Any]) -> NewsPost:
    """`data` is a NewsForm's cleaned data: the body is sanitized already."""
    post.title = data["title"]
    post.body = data["body"]
    post.comments_enabled = data["comments_enabled"]
    post.save(update_fields=["title", "body", "comments_enabled", "updated_at"])
    return post


@transaction.atomic
def delete_news(post: NewsPost) -> None:
    """The post goes with its comments; reports and log entries about them keep their snapshots (SET_NULL)."""
    post.delete()
