# News posts and their comments now belong to the news app (news/migrations/0001_initial.py), which took
# over their tables as they are: only sitecontent's record of the models goes, no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sitecontent', '0002_threaded_news_comments'),
        ('news', '0001_initial'),
        # Reports and log entries point at news.NewsComment before sitecontent's goes.
        ('moderation', '0004_news_comment_moved_to_news'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='newspost',
                    name='author',
                ),
                migrations.DeleteModel(
                    name='NewsComment',
                ),
                migrations.DeleteModel(
                    name='NewsPost',
                ),
            ],
            database_operations=[],
        ),
    ]
