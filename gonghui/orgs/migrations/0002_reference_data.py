from django.db import migrations


def forward(apps, schema_editor):
    from gonghui.orgs.reference import load

    load(apps.get_model("orgs", "Region"), apps.get_model("orgs", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
