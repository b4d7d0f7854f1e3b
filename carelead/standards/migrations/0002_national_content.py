"""Load the national frameworks and curriculum CareLead ships with (carelead/standards/data/)."""

from django.db import migrations


def forward(apps, schema_editor):
    from carelead.standards.loading import national_content_load

    national_content_load(get_model=apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
