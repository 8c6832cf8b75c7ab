"""One rate-limit path (lib.ratelimit) for log-in, sign-up, comments, kudos and hits, counted in a
cache every process shares, keyed on the normalised username and on the client's real address
behind trusted proxies (review finding 2)."""

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from fanarchive.test import BaseTestCase
from works import hits
from works.models import Work

PROXY = "10.0.0.1"


@override_settings(LOGIN_ATTEMPTS_LIMIT=3, LOGIN_ADDRESS_ATTEMPTS_LIMIT=1000)
class LoginThrottlingTests(BaseTestCase):
    def fail_login(self, username: str, address: str = "192.0.2.1", **extra: Any) -> int:
        response = self.client.post(
            "/account/login", {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **extra
        )
        return response.status_code

    def log_in(self, username: str = "alice", address: str = "192.0.2.99", **extra: Any) -> int:
        response = self.client.post(
            "/account/login", {"username": username, "password": self.password}, REMOTE_ADDR=address, **extra
        )
        return response.status_code

    def test_spaces_case_and_full_width_variants_share_one_budget(self):
        for n, variant in enumerate(["alice ", "\talice", "alice\u3000", "ＡＬＩＣＥ", "Alice"]):
            self.fail_login(variant, address=f"192.0.2.{n}")
        response = self.client.post(
            "/account/login", {"username": "alice", "password": self.password}, REMOTE_ADDR="198.51.100.7"
        )
        self.assertContains(response, "Too many failed log-in attempts", status_code=429)
        self.assertTrue(response["Retry-After"].isdigit())
        self.assertLessEqual(int(response["Retry-After"]), settings.LOGIN_ATTEMPTS_WINDOW_SECONDS)

    def test_the_counts_are_kept_where_every_process_sees_them(self):
        self.fail_login("alice")
        backend = str(settings.CACHES["default"]["BACKEND"])
        self.assertNotIn("locmem", backend)
        if backend == "lib.cache.AtomicDatabaseCache":
            table = connection.ops.quote_name(str(settings.CACHES["default"]["LOCATION"]))
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM " + table)  # noqa: S608 (a quoted setting)
                # One row for the username, one for the address.
                self.assertEqual(cursor.fetchone()[0], 2)

    def test_a_successful_log_in_clears_the_usernames_failures(self):
        self.fail_login("alice")
        self.fail_login("alice")
        self.assertEqual(self.log_in(), 302)
        self.client.logout()
        self.fail_login("alice")
        self.fail_login("alice")
        self.assertEqual(self.log_in(), 302)

    @override_settings(LOGIN_ADDRESS_ATTEMPTS_LIMIT=3)
    def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_everyone_out(self):
        with self.settings(TRUSTED_PROXIES=[PROXY]):
            for name in ["x1", "x2", "x3"]:
                self.fail_login(name, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
            self.assertEqual(self.log_in("bob", PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5"), 429)
            self.assertEqual(self.log_in("bob", PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77"), 302)

    @override_settings(LOGIN_ADDRESS_ATTEMPTS_LIMIT=3)
    def test_forwarded_for_is_read_from_the_right_so_a_client_cannot_forge_a_fresh_address(self):
        with self.settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
            for n in range(3):
                self.fail_login(f"x{n}", address=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5, 10.9.9.9")
            self.assertEqual(self.log_in("bob", PROXY, HTTP_X_FORWARDED_FOR="8.8.8.8, 203.0.113.5"), 429)

    @override_settings(LOGIN_ADDRESS_ATTEMPTS_LIMIT=3)
    def test_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        for n in range(3):
            self.fail_login(f"x{n}", address="192.0.2.50", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        self.assertEqual(self.log_in("bob", "192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.200"), 429)


class OtherLimitsTests(BaseTestCase):
    @override_settings(SIGNUP_RATE_LIMIT=2)
    def test_sign_ups_from_one_address_are_limited(self):
        for n in range(2):
            data = {
                "username": f"reader{n}",
                "email": f"r{n}@example.org",
                "password1": "x",
                "password2": "x",
                "confirm_age": "on",
            }
            self.assertEqual(self.client.post("/account/signup", data, REMOTE_ADDR="192.0.2.8").status_code, 200)
        data = {
            "username": "reader9",
            "email": "r9@example.org",
            "password1": "tide-lamp-1987",
            "password2": "tide-lamp-1987",
            "confirm_age": "on",
        }
        response = self.client.post("/account/signup", data, REMOTE_ADDR="192.0.2.8")
        self.assertContains(response, "too many times", status_code=429)
        self.assertIn("Retry-After", response)
        self.assertEqual(self.client.post("/account/signup", data, REMOTE_ADDR="192.0.2.9").status_code, 302)

    @override_settings(KUDOS_RATE_LIMIT=2)
    def test_kudos_from_one_address_are_limited(self):
        works = [self.make_work(title=f"Work {n}") for n in range(3)]
        for work in works[:2]:
            self.assertEqual(self.client.post(f"/works/{work.pk}/kudos", REMOTE_ADDR="192.0.2.4").status_code, 302)
        response = self.client.post(f"/works/{works[2].pk}/kudos", REMOTE_ADDR="192.0.2.4")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Work.objects.get(pk=works[2].pk).kudos_count, 0)

    @override_settings(HITS_RATE_LIMIT=2)
    def test_one_address_cycling_browsers_counts_at_most_the_limit_of_hits(self):
        work = self.make_work()
        hits.flush_hits()
        for n in range(5):
            self.assertEqual(
                self.client.get(
                    work.get_absolute_url(), REMOTE_ADDR="192.0.2.6", HTTP_USER_AGENT=f"Bot/{n}"
                ).status_code,
                200,
            )
        self.assertEqual(hits.flush_hits(), 2)
        self.client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.7")
        self.assertEqual(hits.flush_hits(), 1)

    @override_settings(COMMENT_RATE_LIMIT=1, TRUSTED_PROXIES=[PROXY])
    def test_comments_are_counted_by_the_address_behind_the_proxy(self):
        work = self.make_work()
        guest = {"guest_name": "Ann", "guest_email": "ann@example.org", "content": "Lovely."}
        url = f"/works/{work.pk}/comments"
        self.assertEqual(
            self.client.post(url, guest, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code, 302
        )
        self.assertEqual(
            self.client.post(url, guest, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code, 302
        )
        response = self.client.post(url, guest, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
        self.assertEqual(response.status_code, 429)


class ProxySettingsTests(BaseTestCase):
    def settings_in_a_fresh_process(self, **env: str) -> list[object]:
        code = (
            "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fanarchive.settings');"
            "django.setup(); from django.conf import settings as s;"
            "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
            " s.TRUSTED_PROXIES]))"
        )
        result = subprocess.run(  # noqa: S603 (this interpreter, our own code)
            [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        values: list[object] = json.loads(result.stdout)
        return values

    @pytest.mark.slow  # a subprocess: ./test --quick leaves it out
    def test_proxy_ssl_header_hsts_and_trusted_proxies_come_from_the_environment(self):
        self.assertEqual(self.settings_in_a_fresh_process(), [None, 0, False, []])
        configured = self.settings_in_a_fresh_process(
            PROXY_SSL_HEADER="X-Forwarded-Proto",
            HSTS_SECONDS="31536000",
            HSTS_INCLUDE_SUBDOMAINS="true",
            TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8",
        )
        self.assertEqual(configured, [["HTTP_X_FORWARDED_PROTO", "https"], 31536000, True, ["127.0.0.1", "10.0.0.0/8"]])

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_behind_the_tls_proxy_pages_carry_hsts(self):
        response = self.client.get("/", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000")
        self.assertNotIn("Strict-Transport-Security", self.client.get("/"))
