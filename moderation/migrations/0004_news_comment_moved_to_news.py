# The news comment a report or a log entry names is now news.NewsComment: the same table
# (news/migrations/0001_initial.py), so the columns and their foreign keys stay as they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_news_comment_reports'),
        ('news', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='logentry',
                    name='news_comment',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.newscomment'),
                ),
                migrations.AlterField(
                    model_name='report',
                    name='news_comment',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.newscomment'),
                ),
            ],
            database_operations=[],
        ),
    ]
