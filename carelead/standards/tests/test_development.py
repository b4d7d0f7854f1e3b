"""Team development for line managers and compliance for HR."""

from carelead.standards.tests.test_gate import complete


def test_team_development_shows_each_report(client_for, world):
    complete(world.people["member"], "IND-101", provider="PRV01")
    page = client_for("line_manager").get("/standards/team/").content.decode()
    assert "Sam Staffmember" in page and "First-line manager: 1 of 1 met" in page


def test_compliance_lists_managers_short_of_their_level(client_for, world):
    page = client_for("org_hr").get("/standards/compliance/").content.decode()
    assert "Maya Manager" in page and "Eve Executive" in page and "National induction" in page
    assert "Rob Otherteam" not in page
