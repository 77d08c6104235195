"""Full-text index for core.search: FTS5 (external content, kept in step by triggers) on SQLite, a GIN
index over to_tsvector('simple', tokens) on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE core_search_fts USING fts5(tokens, content='core_searchdocument', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER core_search_ai AFTER INSERT ON core_searchdocument BEGIN "
    "INSERT INTO core_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER core_search_ad AFTER DELETE ON core_searchdocument BEGIN "
    "INSERT INTO core_search_fts(core_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER core_search_au AFTER UPDATE ON core_searchdocument BEGIN "
    "INSERT INTO core_search_fts(core_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO core_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_search_au",
    "DROP TRIGGER IF EXISTS core_search_ad",
    "DROP TRIGGER IF EXISTS core_search_ai",
    "DROP TABLE IF EXISTS core_search_fts",
]
PG_FORWARD = [
    "CREATE INDEX core_search_tsv ON core_searchdocument USING gin (to_tsvector('simple', tokens))",
    "CREATE INDEX core_search_kind ON core_searchdocument (kind, object_id)",
]
PG_REVERSE = ["DROP INDEX IF EXISTS core_search_tsv", "DROP INDEX IF EXISTS core_search_kind"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": PG_REVERSE}),
        )
    ]
