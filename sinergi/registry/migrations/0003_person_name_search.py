"""An index for finding officers by name among some 200,000 persons.

``LIKE '%name%'`` reads every row (about 70 ms on SQLite at Jakarta scale, twice per page: the
count and the rows), so names are searched by the beginnings of their words through the database's
own full-text index:

- SQLite: an FTS5 table ``registry_person_name_search`` (rowid = person id), kept in step with
  ``registry_person`` by triggers, so bulk inserts and updates need no extra code;
- PostgreSQL: a GIN index on ``to_tsvector('simple', full_name)``, the expression the query uses.

``sinergi.registry.selectors.person_ids_named`` writes the matching queries. SQLite drops a
table's triggers when a later migration rebuilds ``registry_person``; the tests of the search
catch that, and this migration's forward step can simply be run again.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_name_search "
    "USING fts5(full_name, tokenize = 'unicode61 remove_diacritics 2')",
    "DELETE FROM registry_person_name_search",
    "INSERT INTO registry_person_name_search (rowid, full_name) SELECT id, full_name FROM registry_person",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_search_insert AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_name_search (rowid, full_name) VALUES (new.id, new.full_name); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_search_update AFTER UPDATE OF full_name ON registry_person "
    "BEGIN UPDATE registry_person_name_search SET full_name = new.full_name WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_search_delete AFTER DELETE ON registry_person BEGIN "
    "DELETE FROM registry_person_name_search WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_person_name_search_insert",
    "DROP TRIGGER IF EXISTS registry_person_name_search_update",
    "DROP TRIGGER IF EXISTS registry_person_name_search_delete",
    "DROP TABLE IF EXISTS registry_person_name_search",
]
POSTGRESQL_FORWARD = [
    "CREATE INDEX IF NOT EXISTS registry_person_name_tsv ON registry_person "
    "USING gin (to_tsvector('simple'::regconfig, full_name))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS registry_person_name_tsv"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_organisation_kinds")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
