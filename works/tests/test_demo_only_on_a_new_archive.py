"""./run loads the demo content only into a brand-new archive: never once anyone has signed up."""

import io

from django.core.management import call_command
from django.test import TestCase

from accounts.actions import create_account
from works.models import Work


class DemoOnlyOnANewArchiveTests(TestCase):
    def load(self) -> None:
        call_command("load_demo", "--if-empty", stdout=io.StringIO())

    def test_an_archive_whose_users_deleted_every_work_gets_no_demo(self):
        create_account("zoë", "zoe@example.org", "correct horse battery staple")
        self.load()
        self.assertFalse(Work.objects.exists())

    def test_a_brand_new_archive_gets_the_demo_once(self):
        self.load()
        count = Work.objects.count()
        self.assertGreater(count, 0)
        self.load()
        self.assertEqual(Work.objects.count(), count)
