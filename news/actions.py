"""Publishing the archive's news (comments on it: news/news_comments.py)."""

from typing import Any

from accounts.models import User
from news.models import NewsPost


def publish_news(data: dict[str, Any], author: User) -> NewsPost:
    return NewsPost.objects.create(
        title=data["title"], body=data["body"], comments_enabled=data["comments_enabled"], author=author
    )
