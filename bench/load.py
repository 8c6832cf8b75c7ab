"""A bounded local load test: N clients, mixed reads and writes, then a consistency check.

Start a server on 127.0.0.1 first, trusting itself as the proxy so each client counts under its
own address for the rate limits (the script sends X-Forwarded-For), for example:

    export FANARCHIVE_DATA_DIR=/tmp/fa-load           # and DATABASE_URL=postgres://… for PostgreSQL
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo --if-empty
    TRUSTED_PROXIES=127.0.0.1 FANARCHIVE_PRELOAD_INDEX=1 .venv/bin/gunicorn fanarchive.wsgi:application \\
        --config fanarchive/gunicorn.conf.py --preload --bind 127.0.0.1:8112 --workers 2 --threads 4 &
    .venv/bin/python manage.py run_jobs &              # optional: the script applies search updates itself

Then, with the same environment (the script sets up accounts and checks in the same database):

    .venv/bin/python bench/load.py --url http://127.0.0.1:8112 --clients 10 --requests 500 --seconds 120

Bounded: at most --requests requests in all and --seconds of load, only to 127.0.0.1/localhost.
Prints requests per second, latency percentiles per action, status counts (5xx are errors, 429
are rate limits) and then checks, exiting 1 on any mismatch:
  counters   every work's kudos, comments, bookmarks, word and chapter counts equal its rows;
  filters    the server's listing counts (its in-memory filter index) and a fresh index built
             here equal the database's counts of visible works, overall and per tag;
  search     after applying every queued search update, the search index holds exactly the
             visible works, and its per-tag counts equal the database's.
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
os.environ.setdefault("PLAIN_STATIC_FILES", "true")

import django
import tantivy

django.setup()

from django.db.models import Count, Q, Sum
from django.http import QueryDict
from django.utils import timezone

from accounts.actions import create_account
from accounts.models import User
from bookmarks.models import Bookmark
from comments.models import Comment
from community.models import Kudo
from search import engine
from search.indexer import apply_pending
from search.models import SearchUpdate
from works import actions
from works.filter_index import FilterIndex
from works.forms import WorkForm
from works.models import Chapter, FilterTagging, Work

PASSWORD = "load-test-password-1987"  # noqa: S105 (the load accounts' own, local only)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Action -> weight; the author's clients also edit chapters.
MIX = {"read": 40, "list": 12, "search": 8, "tag": 5, "kudos": 10, "comment": 10, "bookmark": 10, "edit": 5}
WORDS = ["lighthouse", "storm", "harbour", "lamp", "tide", "keeper", "fog", "sea"]
_COUNT = re.compile(r"([\d,]+)\s+Works?\b")


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def record(self, action: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.statuses[f"{action} {status}"] += 1
            if status >= 500 or status == 0:
                self.errors.append(f"{action} {status} {detail}"[:300])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ArchiveClient:
    """One browser: its own cookies, its own (forwarded) address."""

    def __init__(self, base: str, address: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())
        self.address = address

    def request(self, path: str, data: dict[str, Any] | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        headers = {"X-Forwarded-For": self.address}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 (http://127.0.0.1 only)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except OSError as error:
            return 0, str(error)

    def csrf_token(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        self.request("/account/login")
        return next((str(c.value) for c in self.cookies if c.name == "csrftoken"), "")

    def log_in(self, username: str) -> bool:
        status, _body = self.request("/account/login", {"username": username, "password": PASSWORD})
        return status == 302


def _local_base(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
        raise SystemExit("bench/load.py only loads a local server: --url http://127.0.0.1:PORT")
    return f"http://{parts.netloc}"


# Set-up, in the server's database


def _account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_account(username, f"{username}@example.invalid", PASSWORD)
    return user


def _post_work(author: User, n: int) -> Work:
    data = QueryDict(mutable=True)
    fields = {
        "title": f"Load Test Work {n}", "rating": "General Audiences", "warnings": "No Archive Warnings Apply",
        "categories": "Gen", "fandoms": "Tidewater (TV)", "characters": "Mara Quill",
        "freeforms": f"Load Tag {n % 3}, Fluff", "summary": "A storm, a lamp, a long night.", "language": "en",
        "expected_chapters": "", "content": "The lamp turned all night. " * 20, "action": "post",
    }  # fmt: skip
    for key, value in fields.items():
        data[key] = value
    data.setlist("pseuds", [str(author.default_pseud.pk)])
    form = WorkForm(data, user=author)
    assert form.is_valid(), form.errors
    work = actions.create_work([author.default_pseud], form.cleaned_data, post=True)
    actions.add_chapter(work, {**form.cleaned_data, "content": "The second night was calmer. " * 10}, post=True)
    return work


def set_up(clients: int, works: int) -> tuple[list[User], User, list[int]]:
    readers = [_account(f"load_reader_{n}") for n in range(clients)]
    author = _account("load_author")
    own = list(Work.objects.filter(creatorships__pseud__user=author).values_list("pk", flat=True))
    for n in range(len(own), works):
        own.append(_post_work(author, n).pk)
    return readers, author, own


# The load


def run_client(
    client: ArchiveClient, user: User, work_ids: list[int], author: bool, stop: "Budget", results: Results, seed: int
) -> None:
    rng = random.Random(seed)
    if not client.log_in(user.username):
        results.record("login", 0, 0.0, f"{user.username} could not log in")
        return
    actions_mix = {k: v for k, v in MIX.items() if author or k != "edit"}
    names, weights = list(actions_mix), list(actions_mix.values())
    while stop.take():
        action = rng.choices(names, weights)[0]
        work_id = rng.choice(work_ids)
        data: dict[str, Any] | None = None
        if action == "read":
            path = f"/works/{work_id}/?view_adult=true"
        elif action == "list":
            path = f"/works?page={rng.randint(1, 3)}"
        elif action == "search":
            path = "/search/?" + urllib.parse.urlencode({"q": rng.choice(WORDS)})
        elif action == "tag":
            path = "/tags/Tidewater%20(TV)/works"
        elif action == "kudos":
            path, data = f"/works/{work_id}/kudos", {}
        elif action == "comment":
            path, data = f"/works/{work_id}/comments", {"content": f"Load comment {rng.random()}: lovely."}
        elif action == "bookmark":
            bookmark = Bookmark.objects.filter(user=user, work_id=work_id).values_list("pk", "private").first()
            form = {"pseud": user.default_pseud.pk, "notes": "Load.", "tags": "Load Rec"}
            if bookmark is None:
                path, data = f"/works/{work_id}/bookmarks/new", form
            elif rng.random() < 0.5:
                path, data = f"/bookmarks/{bookmark[0]}/delete", {}
            else:
                path, data = f"/bookmarks/{bookmark[0]}/edit", {**form, **({} if bookmark[1] else {"private": "on"})}
        else:
            chapter = Chapter.objects.filter(work_id=work_id).order_by("?").values_list("pk", flat=True).first()
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 400)))
            path, data = f"/works/{work_id}/chapters/{chapter}/edit", {"content": words, "chapter_title": ""}
        started = time.perf_counter()
        status, body = client.request(path, data)
        results.record(action, status, time.perf_counter() - started, path + " " + body[:120].replace("\n", " "))


class Budget:
    """At most `requests` requests and `seconds` of load, shared by every client."""

    def __init__(self, requests: int, seconds: float) -> None:
        self.left = requests
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


# The checks


def check_counters() -> list[str]:
    problems = []
    published = Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED), distinct=True)
    rows = Work.objects.annotate(published=published).values_list("pk", "comments_count", "published")
    problems += [f"work {pk}: comments_count {count} != {real} published" for pk, count, real in rows if count != real]
    kudos = dict(Kudo.objects.values("work_id").annotate(n=Count("pk")).values_list("work_id", "n"))
    public = dict(
        Bookmark.objects.filter(private=False, hidden_by_admin=False, work__isnull=False)
        .values("work_id")
        .annotate(n=Count("pk"))
        .values_list("work_id", "n")
    )
    chapters = {
        row["work_id"]: row
        for row in Chapter.objects.filter(posted=True)
        .values("work_id")
        .annotate(n=Count("pk"), words=Sum("word_count"))
    }
    for pk, kudos_count, bookmarks_count, word_count, chapter_count in Work.objects.values_list(
        "pk", "kudos_count", "bookmarks_count", "word_count", "chapter_count"
    ):
        if kudos_count != kudos.get(pk, 0):
            problems.append(f"work {pk}: kudos_count {kudos_count} != {kudos.get(pk, 0)} kudos")
        if bookmarks_count != public.get(pk, 0):
            problems.append(f"work {pk}: bookmarks_count {bookmarks_count} != {public.get(pk, 0)} public bookmarks")
        row = chapters.get(pk, {"n": 0, "words": 0})
        if (word_count, chapter_count) != (row["words"] or 0, row["n"]):
            problems.append(
                f"work {pk}: {word_count} words in {chapter_count} chapters != {row['words']} in {row['n']}"
            )
    return problems


def _visible_public() -> Any:
    return Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False)


def _db_tag_counts(works: Any) -> dict[int, int]:
    rows = FilterTagging.objects.filter(work__in=works).values("tag_id").annotate(n=Count("work_id", distinct=True))
    return {row["tag_id"]: row["n"] for row in rows}


def check_filters(base: str) -> list[str]:
    problems = []
    guest = ArchiveClient(base, "198.51.100.250")
    _status, body = guest.request("/works")
    match = _COUNT.search(body)
    served = int(match.group(1).replace(",", "")) if match else -1
    expected = _visible_public().count()
    if served != expected:
        problems.append(f"server's /works lists {served} works, the database has {expected} visible")
    counts = _db_tag_counts(_visible_public())
    index = FilterIndex()
    built = index.counts_for_tags(list(counts), members=False)
    problems += [f"tag {t}: fresh index {built[t]} != database {n}" for t, n in counts.items() if built[t] != n]
    return problems


def check_search() -> list[str]:
    SearchUpdate.objects.update(due_at=timezone.now())
    for _ in range(200):
        apply_pending()
        if not SearchUpdate.objects.exists():
            break
        time.sleep(0.2)
    else:
        return ["search updates still pending after 40 s (is another process holding the index?)"]
    searcher = engine.searcher()
    problems = []
    visible = Work.objects.filter(posted=True, hidden_by_admin=False)
    if searcher.num_docs != visible.count():
        problems.append(f"search index holds {searcher.num_docs} documents, the database {visible.count()} works")
    for tag_id, n in sorted(_db_tag_counts(visible).items())[:200]:
        found = searcher.search(tantivy.Query.term_query(engine.SCHEMA, "filter_tags", tag_id), 1, count=True).count  # type: ignore[attr-defined]
        if found != n:
            problems.append(f"tag {tag_id}: search finds {found} works, the database has {n}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=500, help="in all, across clients (at most 100,000)")
    parser.add_argument("--seconds", type=float, default=120, help="at most this long (at most 3,600)")
    parser.add_argument("--works", type=int, default=5, help="works the load writes to (made on first run)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = _local_base(args.url)
    clients, requests, seconds = min(args.clients, 200), min(args.requests, 100_000), min(args.seconds, 3600)
    readers, author, work_ids = set_up(clients, args.works)
    results, budget = Results(), Budget(requests, seconds)
    users = [author, *readers[: clients - 1]] if clients > 1 else [author]
    threads = []
    for n, user in enumerate(users):
        client = ArchiveClient(base, f"203.0.113.{n % 250 + 1}")
        task = (client, user, work_ids, user == author, budget, results, args.seed + n)
        threads.append(threading.Thread(target=run_client, args=task))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in results.latencies.values())
    print(f"{clients} clients, {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s")
    for action, values in sorted(results.latencies.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"  {action:9} n={len(values):5}  p50 {statistics.median(values) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
        )
    print("statuses:", ", ".join(f"{key}: {n}" for key, n in sorted(results.statuses.items())))
    problems = [f"error: {e}" for e in results.errors[:20]]
    for name, check in (
        ("counters", check_counters),
        ("filters", lambda: check_filters(base)),
        ("search", check_search),
    ):
        found = check()
        print(f"check {name}: {'ok' if not found else f'{len(found)} problems'}")
        problems += found[:20]
    for problem in problems:
        print("  " + problem)
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
