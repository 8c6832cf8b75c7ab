"""What other apps do when tags are wrangled; works fills it from its AppConfig.ready().

- `wrangled(tag_ids)`: these tags' synonyms or meta tags changed, so every work a filter on them
  may match needs its filters recomputed (works queues that in the background). tags never
  imports works.
"""

from collections.abc import Iterable

from lib.hooks import Hook

wrangled: Hook[[Iterable[int]]] = Hook("wrangled")
