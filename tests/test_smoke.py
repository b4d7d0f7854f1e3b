import pytest

from conftest import PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_a_home_page(client_for, persona):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    assert b"You are acting as" in response.content
