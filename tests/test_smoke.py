import pytest

from conftest import PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_a_home_page(client_for, persona):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    assert b"You are acting as" in response.content


def test_every_model_change_has_its_migration(db):
    """A model changed without a migration would leave PostgreSQL and SQLite behind the code."""
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
