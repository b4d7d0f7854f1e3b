"""The board skills pages: what each persona sees, scope refusals by id, the forms with their errors, the
overview of boards with gaps and its download, and query counts at two data sizes."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.audit.models import AuditLog
from carelead.boardskills.models import MemberSkill, SkillRequirement
from carelead.boardskills.selectors import AUDIT_MEMBER_SKILLS
from carelead.boardskills.tests.factories import BoardMemberFactory, SkillRequirementFactory, held
from carelead.core.choices import OrganisationType
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild

BOARD = "/boards/skills/RAA/"
GAPS = "/boards/skills/gaps/"


def _member_url(member) -> str:
    return f"/boards/skills/members/{member.pk}/"


def _signed_in(client, user):
    client.force_login(user)
    return client


# The board page -----------------------------------------------------------------------------------------------


def test_the_ned_team_sees_the_heatmap_the_table_and_the_gaps(client_for, world, skills):
    page = client_for("ned_team").get(BOARD).content.decode()
    assert 'class="app-skills-heatmap__grid"' in page and 'aria-hidden="true"' in page
    assert "boardskills/board-skills.css" in page and "style=" not in page
    assert "<caption" in page and 'scope="row"' in page and 'scope="col"' in page
    # Validated and own levels are told apart in words, not by colour alone.
    assert "Validated: Expert (3)" in page and "Own: Expert (3)" in page and "Awaiting validation" in page
    assert page.index("Eve Executive") < page.index("Nina Nonexec") < page.index("Colin Clinical")
    assert "Lee Leaver" not in page and "Fay Future" not in page
    assert "1 member has been appointed but not started yet" in page
    assert "Short by 1" in page and "2 of 3 required skills are not met, 1 of them essential" in page
    assert page.index("Finance</th>") < page.index("Digital, data and technology</th>", page.index('id="gaps"'))
    assert "Start a campaign for these gaps" in page and "/ned/campaigns/new/?org=RAA" in page
    assert "/boards/skills/RAA/requirements/" in page


def test_hr_sees_its_board_without_the_campaign_link(client_for, world, skills):
    page = client_for("org_hr").get(BOARD).content.decode()
    assert "Nina Nonexec" in page and "Change the skills the board needs" in page
    assert "Start a campaign" not in page


def test_the_regulator_sees_published_gaps_and_no_member_levels(client_for, world, skills):
    page = client_for("regulator").get(BOARD).content.decode()
    assert "Nina Nonexec" not in page and "Eve Executive" not in page and "app-skills-heatmap__grid" not in page
    assert "Not met" in page and "Short by" not in page and ">*<" in page.replace(" ", "")
    assert "/requirements/" not in page and "Start a campaign" not in page


def test_national_admins_read_but_do_not_change_the_mix(client_for, world, skills):
    page = client_for("national_admin").get(BOARD).content.decode()
    assert "Nina Nonexec" in page and "/requirements/" not in page


def test_a_board_with_no_mix_set_says_so(client_for, world, skills):
    SkillRequirement.objects.filter(organisation=world.orgs["RAA"]).delete()
    page = client_for("org_hr").get(BOARD).content.decode()
    assert "have not been set yet" in page and "Set the skills the board needs" in page
    page = client_for("national_admin").get(BOARD).content.decode()
    assert "have not been set yet" in page and "HR and OD lead or the NED appointments team sets them" in page


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("org_hr", "RAA", 200),
        ("org_hr", "RBB", 404),
        ("org_hr", "Y99", 404),
        ("regional_talent", "RBB", 200),
        ("regional_talent", "RCC", 404),
        ("ned_team", "RCC", 200),
        ("regulator", "RCC", 200),
        ("ned_team", "NOPE", 404),
        ("staff", "RAA", 403),
        ("guardian", "RAA", 403),
    ],
)
def test_board_pages_keep_to_the_scope(client_for, world, skills, persona, code, status):
    assert client_for(persona).get(f"/boards/skills/{code}/").status_code == status


def test_the_chair_opens_their_own_board_only(client, world, skills):
    chair = _signed_in(client, skills.users["chair"])
    page = chair.get(BOARD)
    assert page.status_code == 200 and "Nina Nonexec" in page.content.decode()
    assert chair.get("/boards/skills/RBB/").status_code == 404


# The required mix ---------------------------------------------------------------------------------------------


def _mix(**changes) -> dict:
    data = {}
    for code in (
        "finance",
        "clinical",
        "legal",
        "digital",
        "audit_risk",
        "workforce",
        "estates",
        "lived_experience",
        "commercial",
        "quality_improvement",
    ):
        data.update({f"{code}-needed": "0", f"{code}-level": "", f"{code}-priority": ""})
    data.update(changes)
    return data


def test_hr_sets_the_mix_through_the_form(client_for, world, skills):
    hr = client_for("org_hr")
    page = hr.get("/boards/skills/RAA/requirements/").content.decode()
    assert 'name="finance-needed"' in page and 'value="2"' in page
    response = hr.post(
        "/boards/skills/RAA/requirements/",
        _mix(
            **{
                "finance-needed": "1",
                "finance-level": "3",
                "finance-priority": "essential",
                "lived_experience-needed": "2",
                "lived_experience-level": "1",
                "lived_experience-priority": "desirable",
            }
        ),
    )
    assert response.status_code == 302 and response.url == BOARD
    mix = dict(SkillRequirement.objects.filter(organisation=world.orgs["RAA"]).values_list("skill", "needed"))
    assert mix == {"finance": 1, "lived_experience": 2}


def test_mistakes_in_the_mix_are_explained(client_for, world, skills):
    response = client_for("ned_team").post(
        "/boards/skills/RAA/requirements/",
        _mix(**{"legal-needed": "2", "finance-needed": "many", "digital-needed": "25"}),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error:" in page
    assert "Choose the level of Legal the board needs" in page
    assert "Choose whether Legal is essential or desirable" in page
    assert 'href="#id_legal-level"' in page
    assert "Enter how many members should hold Finance as a whole number" in page
    assert "Enter how many members should hold Digital, data and technology, from 0 to 20" in page
    assert SkillRequirement.objects.filter(organisation=world.orgs["RAA"]).count() == 3


def test_the_mix_of_another_organisation_is_not_found(client_for, world, skills):
    assert client_for("org_hr").get("/boards/skills/RBB/requirements/").status_code == 404
    assert client_for("regional_talent").get("/boards/skills/RAA/requirements/").status_code == 403


# One member ---------------------------------------------------------------------------------------------------


def test_a_member_assesses_themselves_on_their_page(client, world, skills):
    ned = _signed_in(client, skills.users["ned"])
    assert ned.get("/boards/skills/").url == _member_url(skills["ned"])
    page = ned.get(_member_url(skills["ned"])).content.decode()
    assert "Your board skills" in page and "Your own assessment" in page
    assert "Validate Nina" not in page and 'value="validate"' not in page
    data = {
        "form": "self",
        **{
            f"self-{code}": "0"
            for code in (
                "clinical",
                "legal",
                "digital",
                "audit_risk",
                "workforce",
                "estates",
                "lived_experience",
                "commercial",
                "quality_improvement",
            )
        },
    }
    data.update({"self-finance": "3", "self-digital": "2"})
    response = ned.post(_member_url(skills["ned"]), data)
    assert response.status_code == 302
    assert MemberSkill.objects.get(member=skills["ned"], skill="digital").self_level == 2
    page = ned.get(_member_url(skills["ned"])).content.decode()
    assert "Self-assessed Digital, data and technology: Not assessed to Strong" in page
    # Posting the validation form as the member themselves is refused.
    assert ned.post(_member_url(skills["ned"]), {"form": "validate", "validate-finance": "3"}).status_code == 403


def test_a_member_cannot_open_a_colleagues_page(client, world, skills):
    ned = _signed_in(client, skills.users["ned"])
    assert ned.get(_member_url(skills["clinical"])).status_code == 404
    assert ned.get(BOARD).status_code == 403


def test_a_missing_level_is_explained(client, world, skills):
    ned = _signed_in(client, skills.users["ned"])
    response = ned.post(_member_url(skills["ned"]), {"form": "self", "self-finance": "3"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose a level for Legal" in page and 'href="#id_self-legal"' in page


def test_the_chair_validates_on_the_members_page(client, world, skills):
    chair = _signed_in(client, skills.users["chair"])
    page = chair.get(_member_url(skills["ned"])).content.decode()
    assert "Validate Nina Nonexec's skills" in page and "You are validating as the chair" in page
    response = chair.post(_member_url(skills["ned"]), {"form": "validate", "validate-finance": "3"})
    assert response.status_code == 200 and "Describe what the validation rests on" in response.content.decode()
    response = chair.post(
        _member_url(skills["ned"]),
        {"form": "validate", "validate-finance": "3", "validate-evidence": "Finance director for ten years"},
    )
    assert response.status_code == 302
    assert MemberSkill.objects.get(member=skills["ned"], skill="finance").validated_level == 3
    own = chair.get(_member_url(skills["chair"])).content.decode()
    assert "You cannot validate your own skills" in own and 'value="validate"' not in own
    assert chair.post(_member_url(skills["chair"]), {"form": "validate"}).status_code == 403


def test_hr_enters_an_assessment_for_a_member_and_the_history_says_so(client_for, world, skills):
    hr = client_for("org_hr")
    page = hr.get(_member_url(skills["clinical"])).content.decode()
    assert "Own assessment, entered for Colin Clinical" in page and 'value="validate"' not in page
    data = {
        f"self-{code}": "0"
        for code in (
            "finance",
            "legal",
            "digital",
            "audit_risk",
            "workforce",
            "estates",
            "lived_experience",
            "commercial",
            "quality_improvement",
        )
    }
    response = hr.post(_member_url(skills["clinical"]), {"form": "self", "self-clinical": "3", **data})
    assert response.status_code == 302
    assert AuditLog.objects.get(object_type=AUDIT_MEMBER_SKILLS).changes["entered_on_behalf"] == [None, True]
    assert "entered for the member" in hr.get(_member_url(skills["clinical"])).content.decode()
    assert hr.post(_member_url(skills["clinical"]), {"form": "validate"}).status_code == 403


def test_a_member_who_left_is_read_only(client_for, world, skills):
    page = client_for("ned_team").get(_member_url(skills["left"])).content.decode()
    assert "left the board on" in page and 'value="self"' not in page and 'value="validate"' not in page


@pytest.mark.parametrize(
    ("persona", "key", "status"),
    [
        ("org_hr", "rbb_ned", 404),
        ("regional_talent", "rcc_ned", 404),
        ("regional_talent", "rbb_ned", 200),
        ("ned_team", "rcc_ned", 200),
        ("regulator", "ned", 403),
        ("staff", "ned", 403),
    ],
)
def test_member_pages_keep_to_the_scope(client_for, world, skills, persona, key, status):
    assert client_for(persona).get(_member_url(skills[key])).status_code == status


def test_an_unknown_form_is_not_found(client_for, world, skills):
    assert client_for("ned_team").post(_member_url(skills["ned"]), {"form": "other"}).status_code == 404


# Boards with gaps ---------------------------------------------------------------------------------------------


def test_the_overview_lists_boards_by_shortfall_with_filters(client_for, world, skills):
    ned = client_for("ned_team")
    page = ned.get(GAPS).content.decode()
    assert page.index("Far Away Trust") < page.index("Holdout Large Trust") < page.index("Holdout Small Trust")
    assert "3 boards in England have set the skills they need" in page and "Finance: short by 1" in page
    page = ned.get(GAPS + "?skill=digital").content.decode()
    assert "Holdout Large Trust" in page and "Far Away Trust" not in page and "Holdout Small Trust" not in page
    page = ned.get(GAPS + "?region=Y98").content.decode()
    assert "Far Away Trust" in page and "Holdout Large Trust" not in page
    page = ned.get(GAPS + "?skill=clinical&essential=on").content.decode()
    assert "No board in England matching these filters has an unmet skill requirement" in page


def test_a_regional_lead_sees_the_region_only(client_for, world, skills):
    page = client_for("regional_talent").get(GAPS).content.decode()
    assert "Holdout Large Trust" in page and "Far Away Trust" not in page
    assert "2 boards in Holdout Region" in page


def test_the_regulator_sees_published_shortfalls(client_for, world, skills):
    page = client_for("regulator").get(GAPS).content.decode()
    assert "published figures" in page and "short by" not in page
    rows = list(csv.DictReader(io.StringIO(client_for("regulator").get(GAPS + "download/").content.decode())))
    assert {r["org_code"]: r["total_short"] for r in rows} == {"RCC": "*", "RAA": "*", "RBB": "*"}
    assert "short by" not in rows[0]["skills_short"]


def test_the_download_is_filtered_and_safe_in_a_spreadsheet(client_for, world, skills):
    Organisation.objects.filter(code="RBB").update(name='=HYPERLINK("http://x")')
    response = client_for("ned_team").get(GAPS + "download/?region=Y99")
    assert response["Content-Disposition"].startswith('attachment; filename="board-skill-gaps-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["org_code"] for r in rows] == ["RAA", "RBB"]
    assert rows[0]["total_short"] == "2" and rows[0]["requirements_unmet"] == "2"
    assert rows[0]["skills_short"] == (
        "Finance (essential, short by 1); Digital, data and technology (desirable, short by 1)"
    )
    assert rows[1]["organisation"].startswith("'=")


def test_the_own_page_takes_each_role_to_its_start(client_for, world, skills):
    assert client_for("org_hr").get("/boards/skills/").url == BOARD
    assert client_for("ned_team").get("/boards/skills/").url == GAPS
    assert client_for("regulator").get("/boards/skills/").url == GAPS
    assert client_for("staff").get("/boards/skills/").status_code == 403


def test_the_chair_starts_from_their_board(client, world, skills):
    assert _signed_in(client, skills.users["chair"]).get("/boards/skills/").url == BOARD


def test_a_member_with_two_seats_chooses_one(client, world, skills):
    BoardMemberFactory(organisation=world.orgs["RBB"], name="Nina Again", person=skills["ned"].person)
    page = _signed_in(client, skills.users["ned"]).get("/boards/skills/").content.decode()
    assert "Holdout Small Trust" in page and "Holdout Large Trust" in page


# Query counts -------------------------------------------------------------------------------------------------


def _grow(world, skills, n: int) -> None:
    """Add ``n`` boards in the region with a mix and members, ``n`` members with skills to RAA, and ``n`` changes
    to Nina's skills."""
    icb = world.orgs["QZZ"]
    for i in range(n):
        org = Organisation.objects.create(
            code=f"T{n:02d}{i:03d}", name=f"Growth Trust {n}-{i}", type=OrganisationType.TRUST, parent=icb
        )
        SkillRequirementFactory(organisation=org, skill="finance", needed=2)
        SkillRequirementFactory(organisation=org, skill="digital", priority="desirable")
        member = BoardMemberFactory(organisation=org)
        held(member, "finance", own=3, validated=2 if i % 2 else None)
        raa_member = BoardMemberFactory(organisation=world.orgs["RAA"])
        held(raa_member, "finance", own=2, validated=2 if i % 3 else None)
        held(raa_member, "digital", own=1)
        AuditLog.objects.create(
            at=raa_member.created_at,
            actor=world.users["ned_team"],
            actor_label="ned",
            action="update",
            object_type=AUDIT_MEMBER_SKILLS,
            object_id=str(skills["ned"].pk),
            changes={"finance.self_level": [None, 2], "legal.validated_level": [1, 2]},
        )
    organisation_tree_rebuild()


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code in (200, 302), path
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("ned_team", BOARD),
        ("org_hr", BOARD),
        ("regulator", BOARD),
        ("org_hr", "/boards/skills/RAA/requirements/"),
        ("ned_team", "member"),
        ("org_hr", "member"),
        ("ned_team", GAPS),
        ("regional_talent", GAPS + "?essential=on&skill=finance"),
        ("regulator", GAPS),
        ("ned_team", GAPS + "download/"),
        ("org_hr", "/boards/skills/"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_for, world, skills, persona, path):
    client = client_for(persona)
    if path == "member":
        path = _member_url(skills["ned"])
    _grow(world, skills, 3)
    small = _queries(client, path)
    _grow(world, skills, 30)
    assert _queries(client, path) <= small


def test_query_counts_for_the_member_and_the_chair(client, world, skills):
    ned = _signed_in(client, skills.users["ned"])
    _grow(world, skills, 3)
    small = _queries(ned, _member_url(skills["ned"]))
    _grow(world, skills, 30)
    assert _queries(ned, _member_url(skills["ned"])) <= small
    chair = _signed_in(client, skills.users["chair"])
    small = _queries(chair, BOARD)
    _grow(world, skills, 10)
    assert _queries(chair, BOARD) <= small
