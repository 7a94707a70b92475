"""An index for finding organisations by name among some 40,000.

Search by name used ``LIKE '%name%'`` on names and abbreviations, which reads every organisation
twice per page (the count and the rows). As migration 0003 does for persons' names, names are now
searched by their words through the database's own full-text index, the query's words in order,
the last one a word beginning (``pasar ba`` finds "Kelurahan Pasar Baru", ``RT 001`` finds
"RT 001/RW 001" but not "RT 002/RW 001"):

- SQLite: an FTS5 table ``registry_organisation_name_search`` (rowid = organisation id) of the
  name and the abbreviation, kept in step with ``registry_organisation`` by triggers;
- PostgreSQL: a GIN index on ``to_tsvector('simple', ...)`` of the name and abbreviation with
  ``/`` and ``.`` read as spaces (PostgreSQL's parser would take "001/RW" for a file path), the
  very expression ``sinergi.registry.selectors.organisation_ids_named`` queries.

SQLite drops a table's triggers when a later migration rebuilds ``registry_organisation``; the
tests of the search catch that, and this migration's forward step can simply be run again.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_organisation_name_search "
    "USING fts5(name, abbreviation, tokenize = 'unicode61 remove_diacritics 2')",
    "DELETE FROM registry_organisation_name_search",
    "INSERT INTO registry_organisation_name_search (rowid, name, abbreviation) "
    "SELECT id, name, abbreviation FROM registry_organisation",
    "CREATE TRIGGER IF NOT EXISTS registry_organisation_name_search_insert AFTER INSERT ON registry_organisation "
    "BEGIN INSERT INTO registry_organisation_name_search (rowid, name, abbreviation) "
    "VALUES (new.id, new.name, new.abbreviation); END",
    "CREATE TRIGGER IF NOT EXISTS registry_organisation_name_search_update "
    "AFTER UPDATE OF name, abbreviation ON registry_organisation BEGIN "
    "UPDATE registry_organisation_name_search SET name = new.name, abbreviation = new.abbreviation "
    "WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS registry_organisation_name_search_delete AFTER DELETE ON registry_organisation "
    "BEGIN DELETE FROM registry_organisation_name_search WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_organisation_name_search_insert",
    "DROP TRIGGER IF EXISTS registry_organisation_name_search_update",
    "DROP TRIGGER IF EXISTS registry_organisation_name_search_delete",
    "DROP TABLE IF EXISTS registry_organisation_name_search",
]
# The very expression sinergi.registry.selectors.organisation_ids_named queries.
POSTGRESQL_FORWARD = [
    "CREATE INDEX IF NOT EXISTS registry_organisation_name_tsv ON registry_organisation USING gin "
    "(to_tsvector('simple'::regconfig, translate(name || ' ' || abbreviation, '/.', '  ')))",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS registry_organisation_name_tsv"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_person_name_search")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
