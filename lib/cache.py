"""Django's database cache, with an `incr` that is atomic (Django's reads, adds and writes back).

Rate limits count with add-then-incr and rely on both being atomic, as they are in Redis.
Here the row is locked (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise
writers already) and incremented in place, keeping its expiry.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key, expires = (
            quote_name(self.cache_model_class._meta.db_table),
            quote_name("cache_key"),
            quote_name("expires"),
        )
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        # Identifiers quoted by the backend, values as parameters (as Django's own DatabaseCache).
        select = f"SELECT {quote_name('value')} FROM {table} WHERE {cache_key} = %s AND {expires} > %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET {quote_name('value')} = %s WHERE {cache_key} = %s"  # noqa: S608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key, now])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 (our own rows)
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [stored, key])
        return value
