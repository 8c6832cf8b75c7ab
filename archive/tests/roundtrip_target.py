"""The other side of the round-trip test, run in a subprocess with its own DATABASE_URL and data folder.

    python -m archive.tests.roundtrip_target EXPORT_IN EXPORT_OUT PAGES_JSON

Migrates the (fresh) database, loads EXPORT_IN, exports again to EXPORT_OUT, then
renders the pages listed in PAGES_JSON ({"pages": [[username or "", url], …], "token": …})
and prints {url: html} as JSON on stdout, plus under "checks" what pages don't show: where
an old username redirects, whether bob is still a moderator, whether the API token still
works, which data-export jobs are queued, and whether the tag filters the import built are what
refreshing every work gives.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402
from jobs.models import Job  # noqa: E402
from moderation.roles import has_role  # noqa: E402
from works.filters import refresh_filters  # noqa: E402
from works.models import FilterTagging, Work  # noqa: E402


def main() -> None:
    export_in, export_out, pages_json = (Path(arg) for arg in sys.argv[1:4])
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("import_archive", str(export_in), stdout=sys.stderr, stderr=sys.stderr)
    call_command("export_archive", str(export_out), stdout=sys.stderr, stderr=sys.stderr)
    pages = {}
    wanted = json.loads(pages_json.read_text())
    for username, url in wanted["pages"]:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        pages[f"{username} {url}"] = client.get(url).content.decode()
    api = Client().get("/api/v1/users/bob", HTTP_AUTHORIZATION=f"Bearer {wanted['token']}")
    checks = [
        Client().get("/users/carol").headers.get("Location", ""),
        str(has_role(User.objects.get(username="bob"), "moderator")),
        str(api.status_code == 200),
        "|".join(Job.objects.filter(kind="build_data_export").values_list("kind", flat=True)),
    ]
    # The filters the import built in one pass are what refreshing each work gives.
    built = set(FilterTagging.objects.values_list("work_id", "tag_id", "inherited"))
    refresh_filters(Work.objects.values_list("pk", flat=True))
    checks.append(str(built == set(FilterTagging.objects.values_list("work_id", "tag_id", "inherited"))))
    pages["checks"] = "|".join(checks)
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
