"""SQLite search: an FTS5 table over the folded title and text of every article, kept in step by
triggers on knowledge_article (so bulk inserts and raw updates are indexed too), and an fts5vocab table
that the typo fallback reads its vocabulary from. Nothing on PostgreSQL.
"""

from django.db import migrations

FTS = "knowledge_article_fts"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "title, body, status UNINDEXED, language UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS}_vocab USING fts5vocab({FTS}, 'row')",
    f"CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_insert AFTER INSERT ON knowledge_article BEGIN "
    f"INSERT INTO {FTS}(rowid, title, body, status, language) "
    "VALUES (new.id, new.title_key, new.search_text, new.status, new.language); END",
    f"CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_update AFTER UPDATE ON knowledge_article BEGIN "
    f"DELETE FROM {FTS} WHERE rowid = old.id; "
    f"INSERT INTO {FTS}(rowid, title, body, status, language) "
    "VALUES (new.id, new.title_key, new.search_text, new.status, new.language); END",
    f"CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_delete AFTER DELETE ON knowledge_article BEGIN "
    f"DELETE FROM {FTS} WHERE rowid = old.id; END",
    f"INSERT INTO {FTS}(rowid, title, body, status, language) "
    "SELECT id, title_key, search_text, status, language FROM knowledge_article",
]
DROP = [
    "DROP TRIGGER IF EXISTS knowledge_article_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_delete",
    f"DROP TABLE IF EXISTS {FTS}_vocab",
    f"DROP TABLE IF EXISTS {FTS}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_postgresql")]
    operations = [migrations.RunPython(forwards, backwards)]
