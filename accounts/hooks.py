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
  name). accounts never imports search;
- `REQUEST_USER_QUERY` (`@request_user_query`): what every request reads with its user, in the
  one query that loads it (accounts.backends): moderation adds the account's standing and roles;
- `READER_PARTS` (`@reader_part(name)`): a part of the reader's own record that accounts.reader
  caches by `User.reader_version` (community: whom they muted). Every write that changes a
  part calls `accounts.reader.reader_changed` in its transaction.
"""

import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from lib.hooks import FunctionList, FunctionsByName, Hook

account_deleting: Hook[[User, bool, bool]] = Hook("account_deleting")
data_export_ready: Hook[[User]] = Hook("data_export_ready")

ExportSection = Callable[[User], dict[str, Any]]
ExportFiles = Callable[[User, zipfile.ZipFile], None]
EXPORT_SECTIONS: FunctionList[ExportSection] = FunctionList()
EXPORT_FILES: FunctionList[ExportFiles] = FunctionList()
export_section = EXPORT_SECTIONS.add
export_files = EXPORT_FILES.add


creator_names_changed: Hook[[Iterable[int]]] = Hook("creator_names_changed")


RequestUserQuery = Callable[[QuerySet[User]], QuerySet[User]]
REQUEST_USER_QUERY: FunctionList[RequestUserQuery] = FunctionList()
request_user_query = REQUEST_USER_QUERY.add


# A part's loader takes the user's id and returns a value the cache can pickle (tuples of plain values).
ReaderPart = Callable[[int], Any]
READER_PARTS: FunctionsByName[ReaderPart] = FunctionsByName()
reader_part = READER_PARTS.register
