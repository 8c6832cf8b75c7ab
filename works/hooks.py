"""What other apps do when works change; each fills its hooks from its AppConfig.ready().

works calls these where the direct calls used to be, and never imports the apps behind them:
- `works_changed(work_ids, soon)`: a work's listing or search data changed (search queues
  index updates: at once when `soon`, else after SEARCH_LAZY_SECONDS, batched);
- `work_posted(work)`, `chapter_posted(chapter)`: a work or chapter became public (community
  tells subscribers);
- `chapter_deleted(work_id)`: a chapter went, with its comments (comments recounts the work's).
"""

from lib.hooks import Hook
from works.models import Chapter, Work

works_changed: Hook[[list[int], bool]] = Hook("works_changed")
work_posted: Hook[[Work]] = Hook("work_posted")
chapter_posted: Hook[[Chapter]] = Hook("chapter_posted")
chapter_deleted: Hook[[int]] = Hook("chapter_deleted")
