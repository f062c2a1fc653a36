"""On PostgreSQL, a trigram GIN index so name search (`LIKE '%key%'`) stays fast at millions of rows.

SQLite has no such index type; the embedded default relies on the plain b-tree (prefix search).
Creating the pg_trgm extension needs a role allowed to create extensions (the database owner on
PostgreSQL 13+ for trusted extensions).
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS customer_search_key_trgm ON customers_customer "
        "USING gin (search_key gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS customer_search_key_pattern ON customers_customer (search_key varchar_pattern_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS customer_search_key_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS customer_search_key_pattern")


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_load_administrative_units")]
    operations = [migrations.RunPython(create_index, drop_index)]
