"""PostgreSQL search: the unaccent and pg_trgm extensions, a full-text GIN index on the folded text and
trigram GIN indexes on the folded title and text (typo-tolerant `<%` / word_similarity). Nothing on SQLite.

Creating extensions needs a role allowed to (the database owner on PostgreSQL 13+: both are trusted).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_fulltext ON knowledge_article "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_text_trgm ON knowledge_article "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS knowledge_article_title_trgm ON knowledge_article "
        "USING gin (title_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("knowledge_article_fulltext", "knowledge_article_text_trgm", "knowledge_article_title_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
