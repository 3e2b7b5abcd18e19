"""``SearchEntry.search_vector``: the PostgreSQL fast path of the portal search.

On PostgreSQL the vectors of the existing entries are filled in one UPDATE and
a GIN index on ``(body_id, search_vector)`` is built (``btree_gin`` lets GIN
index the body column too; without the extension: a GIN index on the vector
alone, next to the existing body index). On other databases the column is
added and stays NULL (SQLite accepts the ``tsvector`` type name; nothing
reads it there).
"""

import django.contrib.postgres.search
from django.db import migrations, transaction

#: Kept in step with ``publicportal.indexing.VECTOR_SQL``.
FILL = """
UPDATE publicportal_searchentry SET search_vector =
    setweight(to_tsvector('german'::regconfig, title), 'A')
    || setweight(to_tsvector('german'::regconfig, left(text, 100000)), 'B')
"""
INDEX = "searchentry_body_vector"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(FILL)
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as c:
                c.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
            columns = "body_id, search_vector"
        except Exception:  # noqa: BLE001 - no right to create extensions
            columns = "search_vector"
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            f"ON publicportal_searchentry USING gin ({columns})"
        )
        cursor.execute("ANALYZE publicportal_searchentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("publicportal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
