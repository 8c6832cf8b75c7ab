from importlib import import_module

from django.apps import apps


def reseed_fixed_tags() -> None:
    """A TransactionTestCase's flush (this one's or an earlier one's) took the ratings and warnings
    the migrations seeded; posting a work needs them."""
    import_module("tags.migrations.0002_seed_fixed_tags").seed(apps, None)
