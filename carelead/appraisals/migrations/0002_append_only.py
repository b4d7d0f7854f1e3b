"""Appraiser changes, dissents and calibration adjustments are history: append-only in the database itself."""

from django.db import migrations

from carelead.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("appraisals", "0001_initial")]
    operations = [
        append_only("appraisals_appraiserchange", "appraiser changes cannot be altered or deleted"),
        append_only("appraisals_dissent", "a dissent cannot be altered or deleted"),
        append_only("appraisals_calibrationadjustment", "calibration adjustments cannot be altered or deleted"),
    ]
