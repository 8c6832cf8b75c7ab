"""Limits on requests are consistent with the forms and answered in the archive's own pages
(review finding 6): a search the box allows fits gunicorn's request line; a POST over the size
or field limits gets the archive's 413 or 400 page with a message, not a bare error."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import SimpleTestCase

from fanarchive.test import BaseTestCase

BASE_DIR = Path(settings.BASE_DIR)


class OversizedPostTests(BaseTestCase):
    def test_a_post_over_the_size_limit_gets_the_archives_413_page(self):
        self.login(self.alice)
        content = "長" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1000)
        response = self.client.post("/works/new", {"title": "Zu groß", "content": content})
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, 'class="site-header"', status_code=413)
        self.assertContains(response, "too large", status_code=413)

    def test_a_post_with_too_many_fields_gets_the_archives_400_page(self):
        self.login(self.alice)
        fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        response = self.client.post("/works/new", fields)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'class="site-header"', status_code=400)
        self.assertContains(response, "too many fields", status_code=400)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow  # a subprocess: ./test --quick leaves it out
class SearchFitsTheRequestLineTests(SimpleTestCase):
    def test_the_longest_search_the_box_allows_passes_gunicorn(self):
        base = (BASE_DIR / "templates" / "base.html").read_text()
        match = re.search(r'name="q"[^>]*maxlength="(\d+)"', base)
        assert match is not None
        maxlength = int(match.group(1))
        # The worst case: characters of four UTF-8 bytes, each sent as three %XX escapes.
        query = quote("😀" * maxlength)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (this interpreter, our own configuration)
            [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "fanarchive" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "fanarchive.tests.tiny_wsgi:application"],
            cwd=BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                self.fail("gunicorn did not start")
            with connection:
                line = f"GET /search/?q={query}&sort=relevance HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                connection.sendall(line.encode())
                status = connection.recv(100).decode().split("\r\n")[0]
        finally:
            server.terminate()
            server.wait(timeout=30)
        self.assertEqual(status, "HTTP/1.1 200 OK")
