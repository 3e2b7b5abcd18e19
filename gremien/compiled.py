"""Querysets compiled to SQL once and run again with one value changed.

For hot paths where building and compiling a Django query costs more than
running it: a ballot's checks are one query with six subqueries, which the
ORM takes some milliseconds to build and compile, the database well under
one. The rules stay written as querysets (one place); only the compiled SQL
is reused.
"""

from __future__ import annotations

from django.db import connections


class CompiledQuery:
    """``queryset`` (a ``values()`` queryset, its columns named) compiled
    once; :meth:`first` runs it with ``placeholder`` replaced by a value.

    ``placeholder`` must occur exactly once among the query's parameters
    (choose an impossible value, such as a negative id). Values come back as
    the database driver returns them (a UUID is a string on SQLite, an
    ``EXISTS`` an integer); convert where that matters.
    """

    def __init__(self, queryset, placeholder) -> None:
        self.using = queryset.db
        sql, params = queryset.query.get_compiler(using=self.using).as_sql()
        positions = [i for i, value in enumerate(params) if value == placeholder]
        if len(positions) != 1:
            raise ValueError(
                f"placeholder {placeholder!r} occurs {len(positions)} times "
                "among the parameters"
            )
        self.sql = sql
        self.params = list(params)
        self.position = positions[0]

    def first(self, value) -> dict | None:
        """The first row as a dictionary by column name, or ``None``."""
        params = list(self.params)
        params[self.position] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
            if row is None:
                return None
            names = [column[0] for column in cursor.description]
        return dict(zip(names, row, strict=True))
