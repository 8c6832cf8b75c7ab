"""Aggregates the ORM does not have, written for both databases (the archive runs on no other)."""

from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, TextField
from django.db.models.sql.compiler import SQLCompiler

if TYPE_CHECKING:
    from django.db.models.sql.compiler import _AsSqlType


class JSONRows(Aggregate):
    """A group's rows as JSON text for `json.loads`: an array holding, per row, the array of the
    given values, in no particular order. SQLite: json_group_array(json_array(…)); PostgreSQL:
    json_agg(json_build_array(…))::text. Numbers and strings come back as themselves, booleans
    as 0/1 on SQLite and false/true on PostgreSQL (read them with bool()). Unlike a joined string,
    no value can be mistaken for a separator: the database escapes them."""

    name = "JSONRows"
    output_field = TextField()
    template = "%(function)s(%(row)s(%(expressions)s))"

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any) -> "_AsSqlType":
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", row="JSON_ARRAY", **extra_context)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> "_AsSqlType":
        # As text: psycopg would parse json into Python itself, unlike SQLite's path.
        sql, params = self.as_sql(compiler, connection, function="JSON_AGG", row="JSON_BUILD_ARRAY", **extra_context)
        return f"({sql})::text", params
