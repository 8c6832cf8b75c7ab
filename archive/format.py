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


# In the order an import writes them (foreign keys are checked at commit, but readers of the
# format may load them one by one).
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
    Kind("support_requests", "support.SupportRequest"),
    Kind("support_notes", "support.SupportNote"),
    Kind("support_replies", "support.SupportReply"),
]
# Models an export leaves out, and why: each is rebuilt, transient, or Django's own.
NOT_EXPORTED = {
    "works.FilterTagging": "rebuilt from taggings and tag wrangling after an import",
    "works.FilterChange": "a log for running processes, empty after an import",
    "search.SearchUpdate": "the search index is rebuilt after an import",
    "jobs.Job": "background work of the running archive",
    "sessions.Session": "log-ins end with a move",
    "admin.LogEntry": "Django admin's history",
    "auth.Permission": "Django's own, made by migrate",
    "auth.Group": "the moderator and support roles: not yet in format version 1 (staff appoint them again)",
    "accounts.EmailVerification": "links that expire within days; members ask for a new one",
    "accounts.DataExport": "files that expire within days; members ask for a new one",
    "jobs.WorkerHeartbeat": "the running workers, made again when they start",
    "jobs.Schedule": "periodic jobs' next runs, made again by the worker",
    "api.PersonalToken": "credentials: members make new tokens after a move",
    # Added to the archive after format version 1; until the format grows them, an export says so.
    "accounts.Invitation": "not yet in format version 1",
    "accounts.InviteRequest": "not yet in format version 1",
    "accounts.TermsAcceptance": "not yet in format version 1 (members accept the terms again)",
    "accounts.AgeConfirmation": "not yet in format version 1 (members confirm again)",
    "accounts.UsernameChange": "not yet in format version 1 (old usernames stop redirecting)",
    "moderation.Report": "not yet in format version 1",
    "moderation.CaseNote": "not yet in format version 1",
    "moderation.Standing": "not yet in format version 1",
    "moderation.Notice": "not yet in format version 1",
    "moderation.LogEntry": "not yet in format version 1",
    "moderation.CoCreatorInvitation": "not yet in format version 1",
    "moderation.InvitationSetting": "not yet in format version 1",
    "sitecontent.SiteSettings": "not yet in format version 1",
    "sitecontent.PageVersion": "not yet in format version 1",
    "sitecontent.NewsPost": "not yet in format version 1",
    "sitecontent.NewsComment": "not yet in format version 1",
    "contenttypes.ContentType": "Django's own, made by migrate",
}
# The users' password hashes are left out unless the export is asked for them.
PASSWORD_FIELD = ("accounts.User", "password")
SKIPPED_FIELDS = {"accounts.User": {"groups", "user_permissions"}}


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own columns, in declaration order (the primary key first)."""
    return [field for field in model._meta.concrete_fields]


def to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
