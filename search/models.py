from django.db import models


class SearchUpdate(models.Model):
    """A work whose search document must be rewritten (or removed): the index's outbox.

    Rows are written in the same transaction as the change, by any process; the one
    indexing process (search.indexer) applies them and deletes exactly the rows it
    applied, so a row written meanwhile is applied next time and nothing is lost.
    `work_id` is not a foreign key: a deleted work's row must outlive the work.
    """

    work_id = models.BigIntegerField()
    # Edits are due at once; count changes (kudos, hits) and wrangling wait a little, so
    # a burst of kudos on a long work rewrites its document once, not once per kudos.
    due_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["work_id"], name="search_update_work")]

    def __str__(self) -> str:
        return f"work {self.work_id} due {self.due_at:%Y-%m-%d %H:%M:%S}"
