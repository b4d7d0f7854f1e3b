"""An organisation's status history is append-only in the database itself."""

from django.db import migrations

from carelead.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("challenged", "0002_initial")]
    operations = [append_only("challenged_statuschange", "status history cannot be altered or deleted")]
