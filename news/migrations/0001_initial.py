# News posts and their comments move here from sitecontent (which sits below accounts and could not hold
# them: CONTRIBUTING.md "Layers"). Only Django's record of the models moves: the tables keep their names
# (db_table) and their rows, and sitecontent/migrations/0003 drops the models from sitecontent's state.

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("newspost", "newscomment")


def _move_content_types(apps: Any, schema_editor: Any, source: str, target: str) -> None:
    # Renaming the content types keeps their ids, so permissions given on news (and the admin's history)
    # stay attached. A fresh database has none yet: post_migrate makes them under "news".
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps: Any, schema_editor: Any) -> None:
    _move_content_types(apps, schema_editor, "sitecontent", "news")


def backwards(apps: Any, schema_editor: Any) -> None:
    _move_content_types(apps, schema_editor, "news", "sitecontent")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        # The tables, as sitecontent made them.
        ('sitecontent', '0002_threaded_news_comments'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NewsPost',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('body', models.TextField()),
                        ('comments_enabled', models.BooleanField(default=True)),
                        ('published_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'sitecontent_newspost',
                        'ordering': ['-published_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='NewsComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('depth', models.PositiveSmallIntegerField(default=0)),
                        ('body', models.TextField()),
                        ('status', models.CharField(choices=[('published', 'Published'), ('spam', 'Spam'), ('deleted', 'Deleted'), ('hidden', 'Hidden by the moderators')], default='published', max_length=12)),
                        ('ip_hash', models.CharField(blank=True, max_length=64)),
                        ('edited_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='news.newscomment')),
                        ('thread', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='news.newscomment')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='news.newspost')),
                    ],
                    options={
                        'db_table': 'sitecontent_newscomment',
                        'ordering': ['created_at', 'id'],
                        'indexes': [models.Index(fields=['thread', 'created_at'], name='news_comment_thread')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
