from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from carelead.accounts.models import RoleAssignment
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor
from carelead.boarddiversity.models import Dimension, PopulationReference
from carelead.boarddiversity.services import Figure, population_load, population_references_save
from carelead.boarddiversity.tests.factories import PopulationReferenceFactory
from carelead.core.choices import OrganisationType
from carelead.demo.boarddiversity import population_references_create
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild

REFERENCE = "/boards/diversity/RAA/reference/"
HEADER = "organisation_code,dimension,group,share,source,year\n"


def _form(**changes) -> dict:
    data = {
        "share_ethnicity_white": "80.0",
        "share_ethnicity_mixed": "3.0",
        "share_ethnicity_asian": "10.0",
        "share_ethnicity_black": "5.0",
        "share_ethnicity_other": "2.0",
        "source_ethnicity": "Census 2021, local authorities served",
        "year_ethnicity": "2021",
        "share_sex_female": "51.0",
        "share_sex_male": "49.0",
        "source_sex": "Census 2021",
        "year_sex": "2021",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _held(org) -> dict:
    return {(r.dimension, r.group): r.share for r in PopulationReference.objects.filter(organisation=org)}


# The form page ----------------------------------------------------------------------------------------------------


def test_ned_team_records_figures_and_each_change_is_audited(client_for, world):
    client = client_for("ned_team")
    response = client.post(REFERENCE, _form())
    assert response.status_code == 302 and response["Location"] == "/boards/diversity/RAA/"
    held = _held(world.orgs["RAA"])
    assert held[("ethnicity", "asian")] == Decimal("10.0") and held[("sex", "male")] == Decimal("49.0")
    assert len(held) == 7
    created = AuditLog.objects.filter(object_type="boarddiversity.PopulationReference", action="create")
    assert created.count() == 7
    assert set(created.values_list("organisation_id", flat=True)) == {world.orgs["RAA"].pk}
    assert created.filter(actor=world.users["ned_team"]).count() == 7

    client.post(REFERENCE, _form(share_ethnicity_white="79.5", share_sex_female="", share_sex_male=""))
    held = _held(world.orgs["RAA"])
    assert held[("ethnicity", "white")] == Decimal("79.5") and ("sex", "female") not in held
    update = AuditLog.objects.get(object_type="boarddiversity.PopulationReference", action="update")
    assert update.changes == {"share": ["80.0", "79.5"]}
    assert AuditLog.objects.filter(object_type="boarddiversity.PopulationReference", action="delete").count() == 2

    # The page shows what is held.
    page = client.get(REFERENCE).content.decode()
    assert 'value="79.5"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"share_ethnicity_white": "90.5"}, "The ethnicity shares add up to 110.5%: they can add up to 100% at most"),
        ({"share_ethnicity_asian": "10.25"}, "Give the share of Asian or Asian British to one decimal place at most"),
        ({"share_ethnicity_black": "-1"}, "Enter the share of Black or Black British as a percentage from 0 to 100"),
        ({"share_sex_female": "lots"}, "Enter the share of Female as a number, like 12.5"),
        ({"source_sex": ""}, "Enter where the sex figures come from"),
        ({"year_ethnicity": "1850"}, "Enter a year from 1991 to"),
        ({"share_disability_disabled": "17.5"}, "Enter the year the disability figures describe"),
    ],
)
def test_form_refuses_each_wrong_figure_with_a_message_beside_it(client_for, world, changes, message):
    response = client_for("national_admin").post(REFERENCE, _form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert html.count(message) >= 2  # in the summary and beside the field
    assert not PopulationReference.objects.exists()


def test_service_checks_totals_and_scope_itself(world):
    raa, rcc = world.orgs["RAA"], world.orgs["RCC"]
    admin = world.users["national_admin"]
    assignment = RoleAssignment.objects.get(user=admin)
    figures = {
        Dimension.DISABILITY: [
            Figure("disability", "disabled", Decimal("60.0"), "Census 2021", 2021),
            Figure("disability", "non_disabled", Decimal("41.0"), "Census 2021", 2021),
        ]
    }
    with pytest.raises(ValidationError) as refused:
        population_references_save(organisation=raa, figures=figures, by=admin, assignment=assignment)
    assert "the disability shares add up to 101.0%" in str(refused.value).lower()
    hr = RoleAssignment.objects.get(user=world.users["org_hr"])
    with pytest.raises(PermissionDenied):
        population_references_save(organisation=raa, figures={}, by=world.users["org_hr"], assignment=hr)
    regional = RoleAssignment.objects.create(user=admin, role="ned_team", organisation=world.orgs["Y99"])
    with pytest.raises(PermissionDenied):
        population_references_save(organisation=rcc, figures={}, by=admin, assignment=regional)
    assert not PopulationReference.objects.exists()


# The CSV loader ---------------------------------------------------------------------------------------------------


def _file(tmp_path, text: str):
    path = tmp_path / "population.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


GOOD = (
    "RAA,ethnicity,white,80.0,Census 2021,2021\n"
    "RAA,ethnicity,asian,12.5,Census 2021,2021\n"
    "raa,sex,female,51.0,Census 2021,2021\n"
    "RCC,disability,disabled,17.4,Census 2021,2021\n"
    "RCC,disability,non_disabled,82.6,Census 2021,2021\n"
)


def test_loader_writes_every_row_and_audits_them(world, tmp_path):
    result = population_load(path=_file(tmp_path, GOOD), actor=Actor(system="population_load"))
    assert result.ok, result.problems
    assert result.rows == 5 and result.organisations == 2 and result.counts.created == 5
    assert _held(world.orgs["RCC"]) == {
        ("disability", "disabled"): Decimal("17.4"),
        ("disability", "non_disabled"): Decimal("82.6"),
    }
    entries = AuditLog.objects.filter(object_type="boarddiversity.PopulationReference")
    assert entries.count() == 5 and set(entries.values_list("actor_label", flat=True)) == {"system:population_load"}


def test_loader_replaces_the_dimensions_in_the_file_and_leaves_the_others(world, tmp_path):
    raa = world.orgs["RAA"]
    PopulationReferenceFactory(organisation=raa, group="black", share="4.0")
    PopulationReferenceFactory(organisation=raa, dimension="disability", group="disabled", share="18.0")
    result = population_load(path=_file(tmp_path, GOOD), actor=Actor(system="population_load"))
    assert result.ok
    held = _held(raa)
    assert ("ethnicity", "black") not in held  # the file gives RAA's ethnicity without it
    assert held[("disability", "disabled")] == Decimal("18.0")  # no disability rows for RAA in the file
    assert result.counts.deleted == 1


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("RAA,ethnicity,white,abc,Census 2021,2021", "row 7, column share: “abc” is not a number"),
        ("RAA,ethnicity,white,10.25,Census 2021,2021", "row 7, column share: “10.25”: give the percentage to one"),
        ("RAA,ethnicity,white,101,Census 2021,2021", "row 7, column share: “101”: enter a percentage from 0 to 100"),
        ("ZZZ,ethnicity,white,10,Census 2021,2021", "row 7, column organisation_code: there is no organisation"),
        ("Y99,ethnicity,white,10,Census 2021,2021", "row 7, column organisation_code: Y99 is region"),
        ("RBB,religion,white,10,Census 2021,2021", "row 7, column dimension: “religion” is not a dimension"),
        ("RBB,sex,white,10,Census 2021,2021", "row 7, column group: “white” is not a group of sex"),
        ("RBB,sex,male,10,,2021", "row 7, column source: this is blank"),
        ("RBB,sex,male,10,Census 2021,21", "row 7, column year: “21”: enter a year from 1991"),
        (
            "RAA,ethnicity,asian,1.0,Census 2021,2021",
            "row 7, column group: RAA already has a figure for ethnicity, asian",
        ),
        ("RAA,ethnicity,black,7.6,Census 2021,2021", "row 7, column share: the ethnicity shares add up to 100.1%"),
    ],
)
def test_a_bad_row_writes_nothing_and_names_its_row_and_column(world, tmp_path, bad_row, message):
    result = population_load(path=_file(tmp_path, GOOD + bad_row + "\n"), actor=Actor(system="population_load"))
    assert not result.ok
    assert any(p.startswith(message) for p in result.problems), result.problems
    assert not PopulationReference.objects.exists()
    assert not AuditLog.objects.filter(object_type="boarddiversity.PopulationReference").exists()


def test_loader_refuses_a_file_without_its_columns(world, tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("organisation_code,dimension,share\nRAA,sex,10\n", encoding="utf-8")
    result = population_load(path=path, actor=Actor(system="population_load"))
    assert result.problems == ["row 1: the file has no group, source, year columns."]


def test_command_reports_problems_and_loads_nothing(world, tmp_path, capsys):
    with pytest.raises(CommandError, match="1 problems found in 6 rows; nothing was loaded"):
        call_command("population_load", str(_file(tmp_path, GOOD + "RAA,sex,male,abc,Census 2021,2021\n")))
    assert "row 7, column share" in capsys.readouterr().err
    assert not PopulationReference.objects.exists()
    call_command("population_load", str(_file(tmp_path, GOOD)), "--no-progress")
    assert "Population figures loaded for 2 organisations from 5 rows: 5 added" in capsys.readouterr().out
    assert PopulationReference.objects.count() == 5


# The demo ---------------------------------------------------------------------------------------------------------


def _demo_regions(world) -> tuple[Organisation, Organisation]:
    nat = world.orgs["X24"]
    london = Organisation.objects.create(code="Y56", name="London", type=OrganisationType.REGION, parent=nat)
    south_west = Organisation.objects.create(code="Y58", name="South West", type=OrganisationType.REGION, parent=nat)
    trusts = []
    for region, code in ((london, "RLN"), (south_west, "RSW")):
        icb = Organisation.objects.create(code=f"Q{code}", name=f"{code} ICB", type=OrganisationType.ICB, parent=region)
        trusts.append(
            Organisation.objects.create(code=code, name=f"{code} Trust", type=OrganisationType.TRUST, parent=icb)
        )
    organisation_tree_rebuild()
    return trusts[0], trusts[1]


def test_demo_figures_are_realistic_and_the_same_for_the_same_seed(world):
    london, south_west = _demo_regions(world)
    written = population_references_create(seed=7)
    orgs = Organisation.objects.filter(type__in=["trust", "icb"]).count()
    assert written == orgs * 9 == PopulationReference.objects.count()
    first = sorted(PopulationReference.objects.values_list("organisation__code", "dimension", "group", "share"))
    for org in Organisation.objects.filter(type__in=["trust", "icb"]):
        held = _held(org)
        for dimension in Dimension:
            assert sum(s for (d, _), s in held.items() if d == dimension) == Decimal("100.0")
        assert Decimal("14") <= held[("disability", "disabled")] <= Decimal("22")
        assert Decimal("50") <= held[("sex", "female")] <= Decimal("52")
    assert _held(london)[("ethnicity", "white")] < _held(south_west)[("ethnicity", "white")] - 15
    assert set(PopulationReference.objects.values_list("source", flat=True)) == {"Census 2021 (illustrative)"}
    PopulationReference.objects.all().delete()
    population_references_create(seed=7)
    again = sorted(PopulationReference.objects.values_list("organisation__code", "dimension", "group", "share"))
    assert again == first
