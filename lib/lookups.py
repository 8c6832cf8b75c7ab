"""Query expressions the ORM lacks."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, F, Lookup
from django.db.models.sql.compiler import SQLCompiler

_SqlParams = tuple[str, tuple[Any, ...]]


class AnyOf(Lookup):
    """`column IN (values)`, sent to PostgreSQL as one array: `column = ANY(%s)`.

    A listing asks for a few hundred ids at once (a sidebar's ~140 tag names). As IN (…) each
    id is a placeholder that psycopg quotes in Python, in a query too long for its cache of
    parsed queries (over 50 parameters: the placeholders are found by a regular expression
    again every time), and a constant the server parses; as one array parameter the query text
    is the same whatever the ids. Other databases get IN (…), as `__in` gives. Use it in a
    filter: `Tag.objects.filter(AnyOf(F("pk"), ids))`.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: F | Expression, rhs: Iterable[Any]) -> None:
        super().__init__(lhs, list(rhs))

    def _values(self, connection: BaseDatabaseWrapper) -> list[Any]:
        field = self.lhs.output_field
        # As `__in`: None matches nothing, duplicates once, and no values at all no row.
        values = list(dict.fromkeys(field.get_db_prep_value(v, connection) for v in self.rhs if v is not None))
        if not values:
            raise EmptyResultSet
        return values

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _SqlParams:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = self._values(connection)
        return f"{lhs_sql} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _SqlParams:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = self._values(connection)
        # The cast names the array's type whatever the ids' size (psycopg would pick int2/int4/int8).
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs_sql} = ANY(%s::{array_type}[])", (*lhs_params, values)
