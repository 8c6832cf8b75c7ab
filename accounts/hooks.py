"""What other apps do when accounts change; each fills its hooks from its AppConfig.ready().

- `account_deleting(user, delete_works, keep_pseud_names)`: the account is about to be deleted, in
  its transaction: works deletes or orphans its works (works.actions.remove_creator), bookmarks
  deletes its bookmarks, community its kudos (each keeping its counters);
- `EXPORT_SECTIONS` (`@export_section`): each app's part of the member's "export my data" JSON
  (works, comments, news comments, bookmarks, kudos, history, subscriptions); `EXPORT_FILES` (`@export_files`):
  files it adds to the zip (downloads: each work as EPUB and HTML); `data_export_ready(user)`:
  the export is ready (community puts it in the inbox);
- `creator_names_changed(work_ids)`: a pseud or username credited on these works was renamed
  (search re-indexes them after a short delay, batched, so searches by creator find the new
  name). accounts never imports search.
"""

import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from accounts.models import User
from lib.hooks import Hook

account_deleting: Hook[[User, bool, bool]] = Hook("account_deleting")
data_export_ready: Hook[[User]] = Hook("data_export_ready")

ExportSection = Callable[[User], dict[str, Any]]
ExportFiles = Callable[[User, zipfile.ZipFile], None]
EXPORT_SECTIONS: list[ExportSection] = []
EXPORT_FILES: list[ExportFiles] = []


def export_section(function: ExportSection) -> ExportSection:
    if function not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(function)
    return function


def export_files(function: ExportFiles) -> ExportFiles:
    if function not in EXPORT_FILES:
        EXPORT_FILES.append(function)
    return function


creator_names_changed: Hook[[Iterable[int]]] = Hook("creator_names_changed")
