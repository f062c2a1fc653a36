"""PostgreSQL search: stored tsvectors instead of computing them per matching row at query time.

`title_vector` (the folded title) and `search_vector` (folded title, summary and text) are generated
columns with GIN indexes; the expression index on to_tsvector(search_text) they replace is dropped. The
query recheck and the title rank then read stored vectors, and only title matches plus the 200 newest
body-only matches are ranked (knowledge/search.py). The columns are PostgreSQL's alone: Django's model does
not list them (PostgreSQL computes them on every write). Nothing on SQLite (FTS5 there).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE knowledge_article "
        "ADD COLUMN IF NOT EXISTS title_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_key)) STORED, "
        "ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_title_vector ON knowledge_article USING gin (title_vector)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_search_vector ON knowledge_article USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS knowledge_article_fulltext")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_fulltext ON knowledge_article "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )
    schema_editor.execute("ALTER TABLE knowledge_article DROP COLUMN IF EXISTS title_vector, "
                          "DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_troubleshooting_steps")]
    operations = [migrations.RunPython(forwards, backwards)]
