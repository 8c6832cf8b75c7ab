from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db.models import Count

from fanarchive.test import BaseTestCase
from tags.models import MetaTagging, Tag, TagParent, TagType
from works.filters import refresh_filters
from works.management.commands import generate_archive
from works.models import Chapter, FilterChange, FilterTagging, Tagging, Work


def generate(works: int, seed: int = 3) -> str:
    out = StringIO()
    call_command("generate_archive", works=works, seed=seed, stdout=out, stderr=StringIO())
    return out.getvalue()


def filter_rows(work_ids: list[int]) -> set[tuple[int, int, bool]]:
    return set(FilterTagging.objects.filter(work_id__in=work_ids).values_list("work_id", "tag_id", "inherited"))


class GenerateArchiveTests(BaseTestCase):
    def test_generated_filters_are_what_works_filters_computes(self):
        # Small batches, so the works come from the forked generator process as for big archives.
        with mock.patch.object(generate_archive, "BATCH", 100):
            self.assertIn("Created 300 works in", generate(300))
        ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
        self.assertEqual(len(ids), 300)
        generated = filter_rows(ids)
        crossovers = dict(Work.objects.values_list("pk", "crossover"))
        # The generator writes no change log: an index built from the tables sees its works.
        self.assertFalse(FilterChange.objects.exists())

        refresh_filters(ids)

        self.assertEqual(filter_rows(ids), generated)
        self.assertEqual(dict(Work.objects.values_list("pk", "crossover")), crossovers)
        # And the sample had something to get right: synonyms, metas above tags, crossovers.
        self.assertTrue(Tagging.objects.filter(tag__merger__isnull=False).exists())
        self.assertTrue(FilterTagging.objects.filter(inherited=True).exists())
        self.assertIn(True, crossovers.values())

    def test_the_archive_has_wrangled_tags(self):
        generate(300)
        self.assertGreaterEqual(Tag.objects.filter(type=TagType.FANDOM, canonical=True).count(), 5)
        self.assertTrue(Tag.objects.filter(type=TagType.FREEFORM, canonical=False, merger=None).exists())
        synonyms = Tag.objects.filter(merger__isnull=False)
        self.assertTrue(synonyms.exists())
        self.assertFalse(synonyms.filter(canonical=True).exists())
        self.assertFalse(synonyms.filter(merger__canonical=False).exists())
        # A franchise meta fandom over its media, and an additional tag over 50 AU tags.
        meta_fandom = Tag.objects.filter(type=TagType.FANDOM, name__endswith=" - All Media Types").first()
        assert meta_fandom is not None
        self.assertGreaterEqual(MetaTagging.objects.filter(meta_tag=meta_fandom).count(), 2)
        alternate_universe = Tag.objects.get(name="Alternate Universe")
        self.assertGreaterEqual(MetaTagging.objects.filter(meta_tag=alternate_universe).count(), 50)
        # Characters belong to fandoms, fandoms to media.
        character = Tag.objects.filter(type=TagType.CHARACTER, canonical=True).first()
        assert character is not None
        self.assertTrue(TagParent.objects.filter(child=character, parent__type=TagType.FANDOM).exists())
        self.assertTrue(TagParent.objects.filter(child__type=TagType.FANDOM, parent__type=TagType.MEDIA).exists())

    def test_works_look_like_an_archive(self):
        generate(300)
        works = Work.objects.all()
        self.assertLessEqual({1, 2}, {w.chapter_count for w in works if w.posted})
        self.assertGreater(works.filter(word_count__gte=100_000).count(), 0)  # one long work every 5,000
        tag_counts = works.annotate(tag_count=Count("taggings")).values_list("tag_count", flat=True)
        self.assertGreaterEqual(min(tag_counts), 5)
        ratings = Tagging.objects.filter(tag__type=TagType.RATING).values("work").annotate(n=Count("id"))
        self.assertEqual({row["n"] for row in ratings}, {1})
        self.assertEqual(len(ratings), 300)
        # Counts match the posted chapters, as works.actions keeps them.
        for work in works.filter(posted=True)[:50]:
            posted = Chapter.objects.filter(work=work, posted=True)
            self.assertEqual(work.chapter_count, posted.count())
            self.assertEqual(work.word_count, sum(c.word_count for c in posted))
        self.assertGreater(len(set(works.values_list("kudos_count", flat=True))), 10)

    def test_it_adds_to_an_existing_archive(self):
        generate(200)
        generate(100)  # fewer than there are: the indexes stay in place
        self.assertEqual(Work.objects.count(), 300)
        self.assertEqual(Tag.objects.filter(name="Fluff").count(), 1)
        ids = list(Work.objects.values_list("pk", flat=True))
        generated = filter_rows(ids)
        refresh_filters(ids)
        self.assertEqual(filter_rows(ids), generated)

    def test_pages_render(self):
        generate(300)
        response = self.client.get("/works")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('class="blurb"'), 20)
        fandom = (
            Tag.objects.filter(type=TagType.FANDOM, canonical=True, sub_links__isnull=True)
            .annotate(n=Count("taggings"))
            .order_by("-n")
            .first()
        )
        assert fandom is not None
        self.assertEqual(self.client.get(fandom.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(fandom.works_url).status_code, 200)
        # A meta tag's page lists its sub tags' works.
        page = self.client.get(Tag.objects.get(name="Alternate Universe").works_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn('class="blurb"', page.content.decode())
        work = Work.objects.filter(posted=True, restricted=False, hidden_by_admin=False).first()
        assert work is not None
        self.assertEqual(self.client.get(work.get_absolute_url()).status_code, 200)
