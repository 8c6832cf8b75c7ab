"""Pages are compressed as the browser asks: Brotli when it takes it, else gzip, else plain."""

import gzip

import brotli

from fanarchive.test import BaseTestCase

# A long chapter with non-ASCII text, so the page is worth compressing and its bytes are UTF-8.
PARAGRAPH = "Żeglarz Ørsted kept the lamp lit through the storm, 灯台 and all, until morning came."
CONTENT = "\n\n".join(f"{PARAGRAPH} Paragraph {n}." for n in range(400))


class CompressionTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.work = self.post_work(content=CONTENT)
        self.url = f"/works/{self.work.pk}/"

    def assert_whole_page(self, html: str) -> None:
        self.assertIn("Paragraph 0.", html)
        self.assertIn(f"{PARAGRAPH} Paragraph 399.", html)
        self.assertTrue(html.rstrip().endswith("</html>"))

    def test_a_browser_taking_brotli_gets_the_page_in_brotli(self):
        response = self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
        self.assertEqual(response["Content-Encoding"], "br")
        self.assertIn("Accept-Encoding", response["Vary"])
        self.assertEqual(int(response["Content-Length"]), len(response.content))
        plain = self.client.get(self.url).content
        self.assertLess(len(response.content), len(plain) // 5)
        self.assert_whole_page(brotli.decompress(response.content).decode())

    def test_a_client_without_brotli_gets_gzip_with_a_random_file_name(self):
        first = self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip, deflate")
        self.assertEqual(first["Content-Encoding"], "gzip")
        self.assertEqual(first.content[:2], b"\x1f\x8b")
        self.assertEqual(first.content[3] & gzip.FNAME, gzip.FNAME)
        self.assert_whole_page(gzip.decompress(first.content).decode())
        # The random name varies the length between responses (Django's defence against BREACH).
        lengths = {len(self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
        self.assertGreater(len(lengths), 1)

    def test_brotli_refused_with_q_zero_falls_back_to_gzip(self):
        response = self.client.get(self.url, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0.5")
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assert_whole_page(gzip.decompress(response.content).decode())

    def test_a_client_asking_for_no_compression_gets_plain_html(self):
        for header in ("", "identity", "gzip;q=0, br;q=0"):
            response = self.client.get(self.url, HTTP_ACCEPT_ENCODING=header)
            self.assertFalse(response.has_header("Content-Encoding"), header)
            self.assertIn("Accept-Encoding", response["Vary"])
            self.assert_whole_page(response.content.decode())

    def test_tiny_responses_are_left_alone(self):
        response = self.client.get("/works?count=only", HTTP_ACCEPT_ENCODING="br, gzip")
        self.assertEqual(response.json()["count"], 1)
        self.assertLess(len(response.content), 200)
        self.assertFalse(response.has_header("Content-Encoding"))
