"""The whole-archive format: which model each kind of record holds, and how values are written.

An export is a folder: `manifest.json` and one JSON Lines file per kind
(`works.jsonl`, …), rows in primary-key order, one JSON object a line whose
keys are the model's column names (`work_id` for a foreign key), plus, for
plain many-to-many links, a list of ids under the relation's name. Dates are
ISO 8601 (`2006-03-01`), date-times ISO 8601 in UTC with microseconds
(`2006-03-01T00:00:00+00:00`). docs/archive-format.md describes every kind.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

FORMAT = "fanarchive-archive"
VERSION = 1


@dataclass(frozen=True)
class Kind:
    name: str  # the file's name without .jsonl
    model: str  # app_label.ModelName
    many_to_many: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def file(self) -> str:
        return f"{self.name}.jsonl"


# In the order an import writes them: a kind refers only to kinds above it (foreign keys are checked at
# commit, but readers of the format may load the files one by one). To add a kind, append it at the end
# (or after the last kind it refers to), give its model's reason here if it is left out instead, and add
# its row to docs/archive-format.md: FormatTests checks all three.
KINDS = [
    Kind("users", "accounts.User"),
    Kind("pseuds", "accounts.Pseud"),
    Kind("tags", "tags.Tag"),
    Kind("tag_parents", "tags.TagParent"),
    Kind("meta_taggings", "tags.MetaTagging"),
    Kind("wrangler_assignments", "tags.WranglerAssignment"),
    Kind("wrangling_log", "tags.WranglingLog"),
    Kind("saved_filters", "accounts.SavedFilter"),
    Kind("tag_exclusions", "accounts.TagExclusion"),
    Kind("series", "works.Series", ("pseuds",)),
    Kind("works", "works.Work"),
    Kind("creatorships", "works.Creatorship"),
    Kind("taggings", "works.Tagging"),
    Kind("chapters", "works.Chapter"),
    Kind("serial_works", "works.SerialWork"),
    Kind("comments", "comments.Comment"),
    Kind("kudos", "community.Kudo"),
    Kind("bookmarks", "bookmarks.Bookmark", ("tags",)),
    Kind("subscriptions", "community.Subscription"),
    Kind("readings", "community.Reading"),
    Kind("blocks", "community.Block"),
    Kind("mutes", "community.Mute"),
    Kind("inbox_items", "community.InboxItem"),
    Kind("source_records", "migration.SourceRecord"),
    Kind("archived_creators", "migration.ArchivedCreator"),
    # Archiving for others (claims): what an imported member wrote and favourited, theirs once they claim.
    Kind("archived_comments", "migration.ArchivedComment"),
    Kind("archived_favourites", "migration.ArchivedFavourite"),
    # Roles: Django's groups (moderators, support) with their permissions, and who is in them.
    Kind("groups", "auth.Group", ("permissions",)),
    Kind("group_members", "accounts.User_groups"),
    Kind("user_permissions", "accounts.User_user_permissions"),
    # Sign-ups and identity.
    Kind("email_verifications", "accounts.EmailVerification"),
    Kind("age_confirmations", "accounts.AgeConfirmation"),
    Kind("username_changes", "accounts.UsernameChange"),
    Kind("invitations", "accounts.Invitation"),
    Kind("invite_requests", "accounts.InviteRequest"),
    # The site's own content.
    Kind("site_settings", "sitecontent.SiteSettings"),
    Kind("page_versions", "sitecontent.PageVersion"),
    Kind("terms_acceptances", "accounts.TermsAcceptance"),
    Kind("news_posts", "news.NewsPost"),
    Kind("news_comments", "news.NewsComment"),
    # Members' tools and requests.
    Kind("personal_tokens", "api.PersonalToken"),
    Kind("data_exports", "accounts.DataExport"),
    Kind("invitation_settings", "moderation.InvitationSetting"),
    Kind("co_creator_invitations", "moderation.CoCreatorInvitation"),
    # The moderation desk.
    Kind("reports", "moderation.Report"),
    Kind("case_notes", "moderation.CaseNote"),
    Kind("standings", "moderation.Standing"),
    Kind("notices", "moderation.Notice"),
    Kind("moderation_log", "moderation.LogEntry"),
    # Support requests, their internal notes and answers.
    Kind("support_requests", "support.SupportRequest"),
    Kind("support_notes", "support.SupportNote"),
    Kind("support_replies", "support.SupportReply"),
]
# Models an export leaves out, and why: each is rebuilt, transient, or Django's own.
NOT_EXPORTED = {
    "works.FilterTagging": "rebuilt from taggings and tag wrangling after an import",
    "works.FilterChange": "a log for running processes, empty after an import",
    "search.SearchUpdate": "the search index is rebuilt after an import",
    "jobs.Job": "background work of the running archive (pending data exports are queued again on import)",
    "jobs.WorkerHeartbeat": "the running workers, made again when they start",
    "jobs.Schedule": "periodic jobs' next runs, made again by the worker",
    "sessions.Session": "log-ins end with a move",
    "admin.LogEntry": "Django admin's history, tied to this database's content type ids",
    "auth.Permission": "Django's own, made by migrate; rows name permissions as app_label.model.codename",
    "contenttypes.ContentType": "Django's own, made by migrate",
}
# Rows refer to these models by natural key, not id: their ids are made by migrate and differ between databases.
PERMISSION = "auth.Permission"
# Models that moved to another app (their kinds, files and fields did not change): an export made before
# the move names their permissions with the old app label, which loading reads as the new one.
MOVED_MODELS = {"sitecontent.newspost": "news.newspost", "sitecontent.newscomment": "news.newscomment"}
# The users' password hashes are left out unless the export is asked for them.
PASSWORD_FIELD = ("accounts.User", "password")


def current_permission_key(key: str) -> str:
    """`app_label.model.codename` as this archive names it ("sitecontent.newspost.x" -> "news.newspost.x")."""
    app_model, dot, codename = key.rpartition(".")
    return f"{MOVED_MODELS.get(app_model, app_model)}{dot}{codename}"


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own columns, in declaration order (the primary key first)."""
    return [field for field in model._meta.concrete_fields]


def to_json(value: Any) -> Any:
    if isinstance(value, dict):
        # JSON columns: PostgreSQL's jsonb reorders keys, SQLite keeps them as written; sorted, both agree.
        return {key: to_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
