"""The autocomplete's fast path (a name table and use counts in memory, the database asked only about
the best candidates) against a plain ORM oracle on random tags and works: the same suggestions in the
same order, for a guest and for logged-in readers, before and after tags are added, renamed and made
canonical and works are posted."""

import random
from typing import Any

from accounts.actions import create_account
from accounts.models import User
from bookmarks.models import Bookmark
from fanarchive.test import BaseTestCase, ParallelTestCase, run_in_parallel, work_form_data
from tags import actions as tag_actions
from tags.models import USER_DEFINED_TYPES, Tag, TagParent, TagType, tag_name_key
from works import autocomplete
from works.models import Creatorship, FilterTagging, Tagging, Work

URL = "/autocomplete/tags"
WORDS = ["Mara", "Marí", "Ma", "Mark", "Amara", "MAR", "Márta", "Jonah", "Ärger", "Ma-Ma", "m", "Reyes", "ß"]
SEPARATORS = [" ", "/", "-", " (", "", " & "]
FIELDS = {
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def _work_visible(work: Work, reader: User | None) -> bool:
    return work.posted and not work.hidden_by_admin and (reader is not None or not work.restricted)


def oracle(reader: User | None, term: str, types: tuple[str, ...], fandom_names: list[str]) -> list[str]:
    """The suggestions by the rules in works/autocomplete.py and tags/visibility.py, from every row."""
    key = tag_name_key(" ".join(term.split()))
    creators: dict[int, set[int]] = {}
    for work_id, user_id in Creatorship.objects.values_list("work_id", "pseud__user_id"):
        creators.setdefault(work_id, set()).add(user_id)
    works = {work.pk: work for work in Work.objects.all()}
    used: dict[int, list[bool]] = {}
    for tag_id, work_id in Tagging.objects.values_list("tag_id", "work_id"):
        work = works[work_id]
        mine = reader is not None and reader.pk in creators.get(work_id, set())
        used.setdefault(tag_id, []).append(_work_visible(work, reader) or mine)
    for bookmark in Bookmark.objects.prefetch_related("tags").select_related("work"):
        assert bookmark.work is not None
        public = not bookmark.private and not bookmark.hidden_by_admin
        seen = _work_visible(bookmark.work, reader) and (
            public or (reader is not None and bookmark.user_id == reader.pk)
        )
        for tag in bookmark.tags.all():
            used.setdefault(tag.pk, []).append(seen)
    uses: dict[int, int] = {}
    for tag_id in FilterTagging.objects.values_list("tag_id", flat=True):
        uses[tag_id] = uses.get(tag_id, 0) + 1
    fandom_keys = {tag_name_key(name) for name in fandom_names}
    named = {t.pk for t in Tag.objects.filter(type=TagType.FANDOM) if t.name_key in fandom_keys}
    named_mergers = {t.merger_id for t in Tag.objects.filter(pk__in=named) if t.merger_id is not None}
    fandoms = named | named_mergers | set(Tag.objects.filter(merger__in=named).values_list("pk", flat=True))
    children = set(TagParent.objects.filter(parent__in=fandoms).values_list("child_id", flat=True))
    scoped = bool(fandom_names) and set(types) <= autocomplete.SCOPED_TYPES

    def visible(tag: Tag) -> bool:
        if tag.type not in USER_DEFINED_TYPES or tag.canonical:
            return True
        return tag.pk not in used or any(used[tag.pk])

    def rank(tag: Tag) -> tuple[Any, ...]:
        in_fandom = scoped and (tag.pk in children or tag.merger_id in children)
        return (not in_fandom, not tag.canonical, -uses.get(tag.pk, 0), tag.name_key)

    shown = [t for t in Tag.objects.filter(type__in=types) if visible(t)]
    prefix = sorted((t for t in shown if t.name_key.startswith(key)), key=rank)
    word = sorted(
        (
            t
            for t in shown
            if not t.name_key.startswith(key) and any(sep + key in t.name_key for sep in autocomplete.WORD_BREAKS)
        ),
        key=rank,
    )
    return [t.name for t in (prefix + word)[: autocomplete.LIMIT]]


class AutocompleteOracleTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.carol = create_account("carol", "carol@example.org", self.password)
        self.staff = create_account("staff", "staff@example.org", self.password)
        User.objects.filter(pk=self.staff.pk).update(is_staff=True)
        self.staff.refresh_from_db()

    def random_name(self, rng: random.Random, taken: set[str]) -> str:
        while True:
            parts = [rng.choice(WORDS)]
            for _ in range(rng.randrange(3)):
                parts += [rng.choice(SEPARATORS), rng.choice(WORDS)]
            name = "".join(parts) + (")" if " (" in parts else "")
            name = " ".join(name.split())
            if tag_name_key(name) not in taken:
                taken.add(tag_name_key(name))
                return name

    def make_tags(self, rng: random.Random, count: int, taken: set[str]) -> list[Tag]:
        tags: list[Tag] = []
        for _ in range(count):
            tag_type = rng.choice(list(FIELDS))
            canonical = rng.random() < 0.25
            tag = Tag.objects.create(name=self.random_name(rng, taken), type=tag_type, canonical=canonical)
            same_type = [t for t in tags if t.type == tag_type and t.canonical]
            if not canonical and same_type and rng.random() < 0.15:
                tag.merger = rng.choice(same_type)
                tag.save(update_fields=["merger"])
            fandoms = [t for t in tags if t.type == TagType.FANDOM]
            if tag_type in (TagType.CHARACTER, TagType.RELATIONSHIP) and fandoms and rng.random() < 0.4:
                TagParent.objects.create(child=tag, parent=rng.choice(fandoms))
            tags.append(tag)
        return tags

    def make_works(self, rng: random.Random, count: int, tags: list[Tag]) -> None:
        for number in range(count):
            chosen = rng.sample(tags, rng.randrange(1, 5))
            fields = {
                field: ", ".join(t.name for t in chosen if t.type == tag_type) for tag_type, field in FIELDS.items()
            }
            if not fields["fandoms"]:
                fields["fandoms"] = "Tidewater (TV)"
            state = rng.choice(["posted", "posted", "draft", "restricted", "hidden"])
            work = self.make_work(
                rng.choice([self.alice, self.bob]),
                title=f"Work {number}",
                action="draft" if state == "draft" else "post",
                restricted="on" if state == "restricted" else None,
                **fields,
            )
            if state == "hidden":
                Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
            if state == "posted" and rng.random() < 0.3:
                bookmark = Bookmark.objects.create(
                    user=self.bob, pseud=self.bob.default_pseud, work=work, private=rng.random() < 0.5
                )
                bookmark.tags.add(rng.choice(tags))

    def check(self, rng: random.Random, tags: list[Tag], asks: int) -> int:
        terms = ["m", "ma", "mar", "mara", "ä", "ss", "j", "ma-", "(m", "r"]
        terms += [tag_name_key(t.name)[: rng.randrange(1, 6)] for t in rng.sample(tags, 6)]
        fandom_names = [t.name for t in tags if t.type == TagType.FANDOM]
        compared = 0
        for reader in [None, self.alice, self.bob, self.carol]:
            if reader is None:
                self.client.logout()
            else:
                self.login(reader)
            for _ in range(asks):
                term = rng.choice(terms)
                tag_type = rng.choice(["any", "character", "relationship", "freeform", "fandom"])
                scope = rng.sample(fandom_names, min(len(fandom_names), rng.randrange(3))) if fandom_names else []
                types = autocomplete.TYPES if tag_type == "any" else (tag_type,)
                params = {"term": term, "type": tag_type, "fandoms": ", ".join(scope)}
                response = self.client.get(URL, params)
                self.assertEqual(response.status_code, 200)
                got = [result["name"] for result in response.json()["results"]]
                self.assertEqual(got, oracle(reader, term, types, scope), (reader, params))
                compared += bool(got)
        return compared

    def test_the_fast_path_suggests_what_the_oracle_does(self):
        for seed in range(2):
            with self.subTest(seed=seed):
                rng = random.Random(seed)
                taken = {tag_name_key(t.name) for t in Tag.objects.all()}
                tags = self.make_tags(rng, 70, taken)
                self.make_works(rng, 30, tags)
                self.assertGreater(self.check(rng, tags, 10), 20)
                # The process's tables catch up: new tags, works posted since, wrangling.
                tags += self.make_tags(rng, 15, taken)
                self.make_works(rng, 8, tags)
                wrangleable = [t for t in tags if not t.canonical and t.merger_id is None]
                for tag in rng.sample(wrangleable, 4):
                    tag_actions.make_canonical(self.staff, tag)
                for tag in rng.sample([t for t in tags if t not in wrangleable], 3):
                    tag.refresh_from_db()
                    tag_actions.rename_tag(self.staff, tag, self.random_name(rng, taken))
                tags = list(Tag.objects.filter(pk__in=[t.pk for t in tags]))
                self.assertGreater(self.check(rng, tags, 10), 20)


class AutocompleteRaceTests(ParallelTestCase):
    """Suggestions asked while other requests post works with new tags, each in its own thread and
    connection: nothing fails, and afterwards every process's table has every tag (the first ask built
    it, the rest caught up), as the oracle says."""

    def test_suggestions_asked_while_works_with_new_tags_are_posted(self):
        reader = self.client_for(None)
        self.assertEqual(reader.get(URL, {"term": "lighthouse"}).json()["results"], [])
        authors = [self.client_for(user) for user in (self.alice, self.bob, self.alice)]
        pseuds = [self.alice.default_pseud.pk, self.bob.default_pseud.pk, self.alice.default_pseud.pk]
        failures: list[str] = []

        def post(n: int) -> None:
            for round_ in range(3):
                tags = f"Lighthouse {n}-{round_}, Lighthouse Keeper {round_}"
                data = work_form_data(pseuds=[pseuds[n]], title=f"Post {n}-{round_}", freeforms=tags)
                status = authors[n].post("/works/new", data).status_code
                if status != 302:
                    failures.append(f"post {n}-{round_}: {status}")

        def ask() -> None:
            client = self.client_for(None)
            for _ in range(6):
                response = client.get(URL, {"term": "lighthouse"})
                names = [result["name"] for result in response.json().get("results", [])]
                if response.status_code != 200 or not all(name.startswith("Lighthouse") for name in names):
                    failures.append(f"ask: {response.status_code} {names}")

        errors = run_in_parallel([lambda n=n: post(n) for n in range(3)] + [ask, ask, ask])
        self.assertEqual(errors, [])
        self.assertEqual(failures, [])
        got = [result["name"] for result in reader.get(URL, {"term": "lighthouse"}).json()["results"]]
        self.assertEqual(len(got), 12)
        self.assertEqual(got, oracle(None, "lighthouse", autocomplete.TYPES, []))
