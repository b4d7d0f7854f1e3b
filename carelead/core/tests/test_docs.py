"""The data-format guide names every column of every import kind."""

from pathlib import Path

from carelead.imports.registry import KINDS

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "data-formats.md"


def test_every_import_column_is_documented():
    text = GUIDE.read_text()
    for kind in KINDS.values():
        assert f"## {kind.name} " in text, kind.name
        section = text.split(f"## {kind.name} ", 1)[1].split("\n## ", 1)[0]
        for column in kind.column_names:
            assert f"`{column}`" in section, f"{kind.name}.{column} is not in docs/data-formats.md"


def test_the_openapi_schema_generates_without_warnings(db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
