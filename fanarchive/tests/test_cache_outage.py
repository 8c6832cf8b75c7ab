"""A cache outage degrades, never breaks reading (review finding 13): with Redis down, counting
falls back to the database's cache table; with no cache at all, hits are skipped and rate limits
fail closed with a message saying so."""

import os
import socket
import unittest
from typing import Any

from django.test import override_settings

from fanarchive.test import BaseTestCase
from works import hits
from works.models import Work

DATABASE_CACHE: dict[str, Any] = {"BACKEND": "lib.cache.AtomicDatabaseCache", "LOCATION": "fanarchive_cache"}
# Nothing listens on port 1: every command fails at once with "connection refused".
REDIS_DOWN: dict[str, Any] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/2",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
NO_TABLE: dict[str, Any] = {"BACKEND": "lib.cache.AtomicDatabaseCache", "LOCATION": "no_such_cache_table"}


class CacheOutageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.make_work()
        self.chapter = self.work.chapters.get()
        hits.flush_hits()

    def read_everything(self) -> None:
        for url in [self.work.get_absolute_url(), f"/works/{self.work.pk}/chapters/{self.chapter.pk}", "/works"]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    @override_settings(CACHES={"default": REDIS_DOWN, "database": DATABASE_CACHE})
    def test_with_redis_down_pages_log_in_and_hits_fall_back_to_the_database(self):
        with self.assertLogs("lib.ratelimit", "WARNING"):
            self.read_everything()
        self.assertEqual(hits.flush_hits(), 1)
        with self.assertLogs("lib.ratelimit", "WARNING"):
            response = self.client.post("/account/login", {"username": "bob", "password": self.password})
        self.assertEqual(response.status_code, 302)

    @override_settings(CACHES={"default": REDIS_DOWN, "database": NO_TABLE})
    def test_with_no_cache_at_all_reading_works_hits_are_skipped_and_log_in_says_why_it_refuses(self):
        with self.assertLogs("lib.ratelimit", "ERROR"):
            self.read_everything()
            self.assertEqual(hits.flush_hits(), 0)
            self.assertEqual(Work.objects.get(pk=self.work.pk).hits, 0)
            response = self.client.post("/account/login", {"username": "bob", "password": self.password})
        self.assertContains(response, "can&#x27;t check how often", status_code=429)
        self.assertEqual(response["Retry-After"], "60")
        self.assertNotIn("_auth_user_id", self.client.session)


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


REDIS_UP: dict[str, Any] = {**REDIS_DOWN, "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")}


@unittest.skipUnless(_redis_answers(), "no Redis on 127.0.0.1:6379 (TEST_REDIS_URL picks another)")
@override_settings(CACHES={"default": REDIS_UP, "database": DATABASE_CACHE}, LOGIN_ATTEMPTS_LIMIT=2)
class WithRedisTests(BaseTestCase):
    def test_limits_and_hits_count_in_redis(self):
        work = self.make_work()
        hits.flush_hits()
        for _ in range(3):
            self.assertEqual(self.client.get(work.get_absolute_url()).status_code, 200)
        self.assertEqual(hits.flush_hits(), 1)
        for _ in range(2):
            self.client.post("/account/login", {"username": "Bob ", "password": "wrong"})
        response = self.client.post("/account/login", {"username": "bob", "password": self.password})
        self.assertEqual(response.status_code, 429)
