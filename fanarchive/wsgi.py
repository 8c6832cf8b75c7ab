import os

from django.core.wsgi import get_wsgi_application

from lib.startup import freeze_startup_heap, or_exit_if_database_unreachable, tune_garbage_collector_for_serving

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
application = get_wsgi_application()
tune_garbage_collector_for_serving()

if os.environ.get("FANARCHIVE_PRELOAD_INDEX") == "1":
    # Build the filter index and the autocomplete's tag name table in the server's parent process
    # so every worker starts with them (shared copy-on-write), then drop the connection the
    # workers must not share.
    from django.db import connections

    from works.autocomplete import TAG_NAMES
    from works.filter_index import INDEX

    or_exit_if_database_unreachable(INDEX.ensure_current)
    or_exit_if_database_unreachable(TAG_NAMES.ensure_current)
    connections.close_all()
    # What the parent built lives as long as the workers (~75,000 objects of Django and the
    # archive cost ~37 ms per full collection otherwise).
    freeze_startup_heap()
