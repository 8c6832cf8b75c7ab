"""Which works of a listing have their PDF built already (OPDS offers PDF only then: it is printed
in the background, and a reading app cannot wait on the "being prepared" page)."""

from collections.abc import Sequence

from django.conf import settings

from downloads import cache
from downloads.document import load_documents
from sitecontent.config import archive_settings, site_name
from works.access import AnyUser
from works.models import Creatorship, Work


def built_pdfs(works: Sequence[Work], user: AnyUser) -> set[int]:
    """The ids of `works` whose PDF, as `user` would download it now, is in the cache.

    Exact, not a guess from timestamps: the version key is computed as the download view
    computes it (batched: a few queries per page, no chapter text), and the file of that
    version must exist. An edit, a new chapter or a renamed tag changes the key, so a stale
    file is never offered."""
    if not works or not archive_settings().downloads_enabled:
        return set()
    ids = [work.pk for work in works]
    own: set[int] = set()
    if user.is_authenticated:
        # A creator downloads their draft chapters too: another version (works.access.readable_chapters).
        own = set(Creatorship.objects.filter(work_id__in=ids, pseud__user=user).values_list("work_id", flat=True))
    documents = load_documents(list(works), own, settings.SITE_URL, site_name())
    return {
        work_id
        for work_id, document in documents.items()
        if document.chapters and cache.cached_path(work_id, document.version("pdf"), "pdf").exists()
    }
