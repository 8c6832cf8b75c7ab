"""The downloads part of "export my data" (accounts/export.py asks it through accounts.hooks.EXPORT_FILES):
each of the member's works as EPUB and HTML in the zip."""

import zipfile

from django.conf import settings

from accounts.hooks import export_files
from accounts.models import User
from downloads.formats import load, load_texts, write_epub, write_html
from works.models import Creatorship, Work


@export_files
def member_work_files(user: User, archive: zipfile.ZipFile) -> None:
    base_url = settings.SITE_URL
    work_ids = Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True)
    for work in Work.objects.filter(pk__in=work_ids).order_by("id"):
        # Drafts too: the member's own copy of everything they wrote.
        # One document and one read of the chapter texts serve both formats.
        document = load(work, base_url, work.chapters.all())
        if not document.chapters:
            continue
        texts = load_texts(document)
        archive.writestr(f"works/{work.pk}.epub", write_epub(document, texts))
        archive.writestr(f"works/{work.pk}.html", write_html(document, texts))
