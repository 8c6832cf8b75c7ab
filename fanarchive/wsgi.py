import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
application = get_wsgi_application()

if os.environ.get("FANARCHIVE_PRELOAD_INDEX") == "1":
    # Build the filter index and the autocomplete's tag name table in the server's parent process
    # so every worker starts with them (shared copy-on-write), then drop the connection the
    # workers must not share.
    from django.db import connections

    from lib.startup import or_exit_if_database_unreachable
    from works.autocomplete import TAG_NAMES
    from works.filter_index import INDEX

    or_exit_if_database_unreachable(INDEX.ensure_current)
    or_exit_if_database_unreachable(TAG_NAMES.ensure_current)
    connections.close_all()
    # What the parent built lives as long as the workers: moved out of the garbage collector's
    # reach, full collections in a worker walk only what the worker made (~75,000 objects of
    # Django and the archive cost ~37 ms per collection otherwise), and the collector no longer
    # writes to the shared pages, which kept them copy-on-write (Python's gc.freeze docs).
    gc.collect()
    gc.freeze()
