"""The engine-specific parts of the database backend's index.

PostgreSQL: generated ``tsvector`` columns built from the pre-segmented tokens (``array_to_tsvector``: the tokens
are lexemes already, no parser or dictionary touches them), a GIN index for matching and ``pg_trgm`` indexes for
suggestions as one types. SQLite: an FTS5 table over the same tokens, kept in step by triggers.
Note for later migrations on SQLite: a table rebuild by Django drops the triggers; re-create them.
"""

from django.db import migrations

TABLE = "bianxue_search_searchentry"
FTS = "bianxue_search_fts"

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE {TABLE} ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS "
    f"(array_to_tsvector(string_to_array(btrim(title_tokens), ' '))) STORED",
    f"ALTER TABLE {TABLE} ADD COLUMN all_tsv tsvector GENERATED ALWAYS AS "
    f"(array_to_tsvector(string_to_array(btrim(title_tokens || ' ' || body_tokens), ' '))) STORED",
    f"CREATE INDEX search_entry_all_tsv ON {TABLE} USING gin (all_tsv)",
    f"CREATE INDEX search_entry_title_trgm ON {TABLE} USING gin (lower(title) gin_trgm_ops)",
    f"CREATE INDEX search_entry_pinyin_trgm ON {TABLE} USING gin (title_pinyin gin_trgm_ops)",
    f"CREATE INDEX search_entry_initials_trgm ON {TABLE} USING gin (title_initials gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS title_tsv",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS all_tsv",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_pinyin_trgm",
    "DROP INDEX IF EXISTS search_entry_initials_trgm",
]
SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title_tokens, body_tokens, content='{TABLE}', content_rowid='id', "
    f"tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) VALUES (new.id, new.title_tokens, new.body_tokens); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    f"VALUES ('delete', old.id, old.title_tokens, old.body_tokens); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    f"VALUES ('delete', old.id, old.title_tokens, old.body_tokens); "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) VALUES (new.id, new.title_tokens, new.body_tokens); END",
]
SQLITE_REVERSE = [f"DROP TABLE IF EXISTS {FTS}", f"DROP TRIGGER IF EXISTS {FTS}_ai",
                  f"DROP TRIGGER IF EXISTS {FTS}_ad", f"DROP TRIGGER IF EXISTS {FTS}_au"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bianxue_search", "0001_index")]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
