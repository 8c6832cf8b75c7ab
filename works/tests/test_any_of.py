"""lib.lookups.AnyOf (`column = ANY(array)` on PostgreSQL, IN (…) elsewhere) finds exactly what
`__in` finds, on random values: ids past 2³¹, negative ones, duplicates, None, values no row has,
an empty list, non-ASCII names; and on PostgreSQL the query is one text with one parameter
however many values it is given (what makes it cheaper to send, parse and keep prepared)."""

import random
from typing import Any

from django.db import connection
from django.db.models import F

from fanarchive.test import BaseTestCase
from lib.lookups import AnyOf
from tags.models import Tag, TagType
from works.models import FilterChange


class AnyOfTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.rng = random.Random(11)
        # work_id has no foreign key: any bigint, including past 2^31 and below zero.
        big = 2**31
        self.values = [self.rng.choice([self.rng.randint(1, 60), big + self.rng.randrange(9), -7]) for _ in range(300)]
        FilterChange.objects.bulk_create(FilterChange(work_id=value) for value in self.values)
        names = ["Ærø", "Zoë Washburne", "東京", "naïve café", "Plain", "plainer", "Ünïcödé ✨"]
        self.tags = [Tag.objects.create(name=name, type=TagType.FREEFORM) for name in names]

    def random_list(self, pool: list[int]) -> list[int | None]:
        size = self.rng.choice([0, 1, 2, 5, 49, 50, 51, 140, 400])
        chosen: list[int | None] = [self.rng.choice(pool) for _ in range(size)]
        if chosen and self.rng.random() < 0.3:
            chosen[0] = None
        return chosen

    def test_the_same_rows_as_in_for_random_id_lists(self):
        pool = [*set(self.values), 0, 61, 2**31 - 1, 2**40, -8]
        for _ in range(60):
            wanted = self.random_list(pool)
            with self.subTest(size=len(wanted)):
                in_list: Any = wanted  # `__in` ignores None, as AnyOf does (the stubs do not allow it)
                expected = sorted(FilterChange.objects.filter(work_id__in=in_list).values_list("pk", flat=True))
                found = sorted(FilterChange.objects.filter(AnyOf(F("work_id"), wanted)).values_list("pk", flat=True))
                self.assertEqual(found, expected)
                left = sorted(FilterChange.objects.exclude(work_id__in=in_list).values_list("pk", flat=True))
                self.assertEqual(
                    sorted(FilterChange.objects.exclude(AnyOf(F("work_id"), wanted)).values_list("pk", flat=True)), left
                )
        self.assertTrue(FilterChange.objects.filter(AnyOf(F("work_id"), [2**31 + n for n in range(10)])).exists())

    def test_the_same_tags_as_in_by_id_and_by_name(self):
        ids = [t.pk for t in self.tags]
        names = [t.name for t in self.tags]
        for _ in range(30):
            some_ids = [*self.rng.sample(ids, self.rng.randint(0, len(ids))), 10**12]
            some_names = [*self.rng.sample(names, self.rng.randint(0, len(names))), "PLAIN", "nobody"]
            self.assertEqual(
                set(Tag.objects.filter(AnyOf(F("pk"), some_ids)).values_list("pk", flat=True)),
                set(Tag.objects.filter(pk__in=some_ids).values_list("pk", flat=True)),
            )
            self.assertEqual(
                set(Tag.objects.filter(AnyOf(F("name"), some_names)).values_list("name", flat=True)),
                set(Tag.objects.filter(name__in=some_names).values_list("name", flat=True)),
            )

    def test_one_query_text_and_one_parameter_on_postgresql(self):
        def compiled(values: list[int]) -> tuple[str, tuple[object, ...]]:
            query = FilterChange.objects.filter(AnyOf(F("work_id"), values)).values("pk").query
            sql, params = query.get_compiler(using="default").as_sql()
            return sql, tuple(params)

        few, many = compiled([1, 2, 3]), compiled(list(range(1, 301)))
        if connection.vendor == "postgresql":
            self.assertEqual(few[0], many[0])
            self.assertIn("= ANY(", many[0])
            self.assertEqual(many[1], (list(range(1, 301)),))
        else:
            self.assertEqual(many[0].count("%s"), 300)
            self.assertEqual(many[1], tuple(range(1, 301)))
