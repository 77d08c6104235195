"""An index for searching member files by the start of a name (members.selectors.search_filter), so the search
costs the same at a million members. Created in SQL: PostgreSQL needs the pattern operator class for
``LIKE '王%'`` under a non-C collation, which a model index cannot declare portably."""

from django.db import migrations

INDEX = "members_person_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_person (name varchar_pattern_ops)")
    else:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_person (name)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_number_sequence")]

    operations = [migrations.RunPython(create, drop)]
