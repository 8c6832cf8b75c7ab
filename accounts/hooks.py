"""What other apps do when accounts change; each fills its hooks from its AppConfig.ready().

- `account_deleting(user, delete_works, keep_pseud_names)`: the account is about to be deleted, in
  its transaction: works deletes or orphans its works (works.actions.remove_creator), bookmarks
  deletes its bookmarks, community its kudos (each keeping its counters);
- `creator_names_changed(work_ids)`: a pseud or username credited on these works was renamed
  (search re-indexes them after a short delay, batched, so searches by creator find the new
  name). accounts never imports search.
"""

from collections.abc import Iterable

from accounts.models import User
from lib.hooks import Hook

account_deleting: Hook[[User, bool, bool]] = Hook("account_deleting")
creator_names_changed: Hook[[Iterable[int]]] = Hook("creator_names_changed")
