"""9-box calibrations are history: append-only in the database itself."""

from django.db import migrations

from carelead.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("talent", "0002_ninebox_pools")]
    operations = [append_only("talent_nineboxcalibration", "9-box calibrations cannot be altered or deleted")]
