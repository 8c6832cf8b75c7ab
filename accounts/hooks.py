"""What other apps do when accounts change; each fills its hooks from its AppConfig.ready().

- `creator_names_changed(work_ids)`: a pseud or username credited on these works was renamed
  (search re-indexes them after a short delay, batched, so searches by creator find the new
  name). accounts never imports search.
"""

from collections.abc import Iterable

from lib.hooks import Hook

creator_names_changed: Hook[[Iterable[int]]] = Hook("creator_names_changed")
