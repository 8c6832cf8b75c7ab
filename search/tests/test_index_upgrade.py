"""An index written by an older release (another schema) is never opened: it counts as missing."""

import shutil

from django.core.management import call_command

from search import engine
from works.tests.test_filtering import FilterTestCase


class IndexUpgradeTests(FilterTestCase):
    def test_an_index_of_an_older_schema_counts_as_missing_and_search_still_answers(self):
        work = self.make_work(title="Lighthouse")
        old = engine.search_dir() / "index-v1-20200101-000000-1"
        old.mkdir(parents=True, exist_ok=True)
        self.addCleanup(shutil.rmtree, old, True)
        (engine.search_dir() / "CURRENT").write_text(old.name + "\n")
        engine.READERS.forget()

        self.assertFalse(engine.has_index())  # so ./run's `rebuild_search_index --if-missing` rebuilds
        response = self.client.get("/search/?q=lighthouse")
        self.assertEqual(response.status_code, 200)
        # An empty stand-in of this schema answers meanwhile, and says so.
        self.assertContains(response, "Search is rebuilding its index")
        self.assertNotContains(response, f"/works/{work.pk}/")

        call_command("rebuild_search_index", "--if-missing", verbosity=0)
        self.assertTrue(engine.has_index())
        response = self.client.get("/search/?q=lighthouse")
        self.assertContains(response, f"/works/{work.pk}/")
        self.assertNotContains(response, "Search is rebuilding its index")
