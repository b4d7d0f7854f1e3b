"""What a Django team would reach for: django-import-export, with a resource for the same staff file.

It validates types and foreign keys through its widgets and writes row by row, which is its documented
default; the comparison is on the same rows and the same database.
"""

from pathlib import Path


def run_import_export(path: Path) -> int:
    import tablib
    from import_export import fields, resources, widgets

    from carelead.organisations.models import Organisation
    from carelead.people.models import Person

    class PersonResource(resources.ModelResource):
        org_code = fields.Field(
            attribute="organisation",
            column_name="org_code",
            widget=widgets.ForeignKeyWidget(Organisation, field="code"),
        )
        line_manager_id = fields.Field(
            attribute="line_manager",
            column_name="line_manager_id",
            widget=widgets.ForeignKeyWidget(Person, field="staff_id"),
        )
        bank = fields.Field(attribute="bank", column_name="bank", widget=widgets.BooleanWidget())

        class Meta:
            model = Person
            import_id_fields = ("staff_id",)
            fields = (
                "staff_id",
                "org_code",
                "first_name",
                "last_name",
                "email",
                "job_title",
                "staff_group",
                "pay_band",
                "level",
                "line_manager_id",
                "start_date",
                "end_date",
                "bank",
            )
            skip_unchanged = True
            use_transactions = True

        def before_import_row(self, row, **kwargs):
            row["bank"] = "1" if row.get("bank") == "Y" else "0"

    dataset = tablib.Dataset().load(Path(path).read_text(), format="csv")
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
    return result.total_rows
