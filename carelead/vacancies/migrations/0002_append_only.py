"""Recruitment decisions are history: append-only in the database itself."""

from django.db import migrations

from carelead.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0001_initial")]
    operations = [append_only("vacancies_applicationdecision", "recruitment decisions cannot be altered or deleted")]
