"""A busy archive for the backup test, run in subprocesses with their own DATABASE_URL and data folder.

python -m archive.tests.backup_writer setup   a writer's account and work
python -m archive.tests.backup_writer write   add chapters until stopped, printing each id once committed
python -m archive.tests.backup_writer check   print {"chapters": [...], "consistent": bool} as JSON
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")

import django

django.setup()

from django.db.models import Count, F, Q  # noqa: E402

from accounts.actions import create_account  # noqa: E402
from accounts.models import User  # noqa: E402
from works import actions  # noqa: E402
from works.models import Chapter, Work  # noqa: E402


def setup() -> None:
    writer = create_account("writer", "writer@example.org", "correct horse battery staple")
    data = {
        "title": "Night Shift", "summary": "", "notes": "", "endnotes": "", "language": "en", "restricted": False,
        "expected_chapters": None, "rating": "General Audiences", "warnings": ["No Archive Warnings Apply"],
        "categories": [], "fandoms": ["Tidewater (TV)"], "relationships": [], "characters": [], "freeforms": [],
        "content": "The first night was quiet.",
    }  # fmt: skip
    actions.create_work([writer.default_pseud], data, post=True)


def write() -> None:
    work = Work.objects.get(creatorships__pseud__user=User.objects.get(username="writer"))
    number = 1
    while True:
        number += 1
        # add_chapter commits the chapter and the work's chapter count together: an acknowledged write.
        chapter = actions.add_chapter(work, {"content": f"Night {number}: the lamp kept burning."}, post=True)
        print(chapter.pk, flush=True)


def check() -> None:
    works = Work.objects.annotate(posted_chapters=Count("chapters", filter=Q(chapters__posted=True)))
    consistent = not works.exclude(chapter_count=F("posted_chapters")).exists()
    chapters = sorted(Chapter.objects.values_list("pk", flat=True))
    json.dump({"chapters": chapters, "consistent": consistent}, sys.stdout)


if __name__ == "__main__":
    {"setup": setup, "write": write, "check": check}[sys.argv[1]]()
