"""The equality dashboard: exact figures only with record-level rights, published ones for everyone else."""

import datetime

from carelead.equality.models import RecruitmentDecision
from carelead.equality.selectors import latest_period


def recruit(org, n_white, w_appointed, n_bme, b_appointed, days=30):
    day = latest_period().start + datetime.timedelta(days=days)
    count = RecruitmentDecision.objects.count()
    for group, total, appointed in (("A", n_white, w_appointed), ("N", n_bme, b_appointed)):
        for i in range(total):
            count += 1
            RecruitmentDecision.objects.create(
                application_id=f"E{count}",
                vacancy_id="V",
                organisation=org,
                date=day,
                shortlisted=True,
                appointed=i < appointed,
                ethnic_category=group,
            )


def test_hr_sees_exact_figures_for_its_organisation_and_published_elsewhere(client_for, world):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)
    own = client_for("org_hr").get("/equality/").content.decode()
    assert "exact figures" in own and "2.00" in own
    other = client_for("org_hr").get("/equality/?scope=org:RBB").content.decode()
    assert "published figures" in other


def test_the_regulator_only_ever_gets_published_figures(client_for, world):
    recruit(world.orgs["RAA"], 40, 20, 12, 3)
    page = client_for("regulator").get("/equality/?scope=org:RAA").content.decode()
    assert "published figures" in page and "exact figures" not in page
    national = client_for("regulator").get("/equality/").content.decode()
    assert "Holdout Region" in national  # drill-down to regions


def test_drill_down_and_unknown_scopes(client_for, world):
    admin = client_for("national_admin")
    region = admin.get("/equality/?scope=region:Y99").content.decode()
    assert "Holdout ICB" in region and "Up one level" in region
    assert admin.get("/equality/?scope=org:NOPE").status_code == 404


def test_the_api_gives_the_regulator_published_figures_only(client, world):
    from rest_framework.authtoken.models import Token

    recruit(world.orgs["RAA"], 40, 20, 40, 10)

    def get(persona, query):
        token, _ = Token.objects.get_or_create(user=world.users[persona])
        return client.get(f"/api/v1/equality/wres/{query}", HTTP_AUTHORIZATION=f"Token {token.key}")

    published = get("regulator", "?scope=icb:QZZ").json()
    assert published["disclosure"] == "published"
    below_national = [r for r in published["results"] if r["scope"] != "national"]
    for row in below_national:
        for key, value in row.items():
            if key.endswith(("_count", "_group", "count", "total")) and isinstance(value, int):
                assert value == 0 or value > 7, (row["code"], key, value)
    assert get("regulator", "?scope=icb:QZZ&disclosure=full").status_code == 403
    full = get("national_admin", "?scope=org:RAA&disclosure=full").json()
    wres2 = next(r for r in full["results"] if r["code"] == "WRES2" and r["scope"] == "org:RAA")
    assert wres2["value"] == 2.0 and wres2["white_count"] == 20
    assert get("org_hr", "?scope=org:RBB&disclosure=full").status_code == 403
    assert get("org_hr", "?scope=org:RAA&disclosure=full").status_code == 200


def _trends(settings):
    from unittest import mock

    from carelead.equality.trends import refresh_trends

    settings.CARELEAD_TREND_QUARTERS = 8
    with mock.patch("carelead.equality.selectors.latest_period", return_value=latest_period()):
        refresh_trends()


def test_each_measure_page_has_its_definition_counts_and_trend(client_for, world, settings):
    for days in (30, 120, 210, 300):
        recruit(world.orgs["RAA"], 40, 20 - days // 30, 40, 10, days=days)
    _trends(settings)
    page = client_for("org_hr").get("/equality/measures/WRES2/").content.decode()
    assert "appointed from shortlisting" in page and "The counts behind the figure" in page
    assert "<svg" in page and "Data for the chart" in page
    assert ">160<" in page  # exact counts for HR's own organisation
    assert "Actions on this measure" in page
    assert client_for("org_hr").get("/equality/measures/NOPE/").status_code == 404
    index = client_for("regulator").get("/equality/measures/").content.decode()
    assert "FAIR-PROMOTION" in index and "WDES10" in index


def test_fairness_and_comparison_pages(client_for, world):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)
    recruit(world.orgs["RBB"], 40, 10, 40, 10)
    fairness = client_for("national_admin").get("/equality/fairness/?scope=national").content.decode()
    assert "Promotion to a higher management level" in fairness and "Age band" in fairness
    compare = client_for("national_admin").get("/equality/compare/?scope=national&measure=WRES2").content.decode()
    assert compare.index(world.orgs["RAA"].name) < compare.index(
        world.orgs["RBB"].name
    )  # RAA (2.00) is further from parity than RBB (1.00)
    assert client_for("national_admin").get("/equality/compare/?measure=BOGUS").status_code == 404


def test_the_regulator_evidence_pack_is_published_only_and_downloads(client_for, world, settings):
    import io
    import re

    import openpyxl

    from carelead.audit.models import AuditLog

    recruit(world.orgs["RAA"], 40, 20, 12, 3)
    _trends(settings)
    for persona in ("regulator", "org_hr", "national_admin"):
        page = client_for(persona).get("/equality/evidence/?scope=org:RAA").content.decode()
        assert "published figures" in page and "exact figures" not in page
        # the 3 BME appointments and 12 BME shortlisted never show; rounded counts only
        assert not re.search(r">\s*(3|12)\s*/", page)
    response = client_for("regulator").get("/equality/evidence/download/?scope=org:RAA")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"Headlines", "Board", "Fairness monitors", "Trends", "Action plan"} <= set(book.sheetnames)
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert 3 not in cells and 12 not in cells
    assert AuditLog.objects.filter(object_type="equality.EvidencePack", action="export").exists()
    assert client_for("regulator").get("/equality/evidence/?scope=national").status_code == 404


def test_the_regulator_gets_published_figures_on_every_equality_page_and_download(client_for, world, settings):
    """Every path that computes figures is asked for published ones when the regulator is signed in."""
    from unittest import mock

    from carelead.equality import monitors, selectors, trends

    recruit(world.orgs["RAA"], 40, 20, 12, 3)
    _trends(settings)
    asked = []

    def spy(real):
        def wrapped(*args, **kwargs):
            asked.append((real.__name__, kwargs.get("published")))
            return real(*args, **kwargs)

        return wrapped

    pages = [
        "/equality/?scope=org:RAA",
        "/equality/measures/WRES2/?scope=org:RAA",
        "/equality/measures/WRES1/?scope=org:RAA",
        "/equality/measures/FAIR-CPD/?scope=org:RAA",
        "/equality/fairness/?scope=org:RAA",
        "/equality/compare/?scope=icb:QZZ&measure=WRES2",
        "/equality/evidence/?scope=org:RAA",
        "/equality/evidence/download/?scope=org:RAA",
        "/api/v1/equality/wres/?scope=org:RAA",
    ]
    client = client_for("regulator")
    with (
        mock.patch.object(selectors, "compute_standards", spy(selectors.compute_standards)),
        mock.patch.object(monitors, "compute_monitors", spy(monitors.compute_monitors)),
        mock.patch.object(trends, "series_points", spy(trends.series_points)),
    ):
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            assert b"exact figures" not in response.content, path
    assert {name for name, _ in asked} >= {"compute_standards", "compute_monitors", "series_points"}
    assert all(published is True for _, published in asked), asked


def test_the_action_plan_names_the_measures_furthest_from_parity(client_for, world):
    recruit(world.orgs["RAA"], 40, 20, 40, 10)  # WRES2 = 2.00, well outside 0.80 to 1.25
    page = client_for("org_hr").get("/equality/actions/?org=RAA").content.decode()
    section = page[page.index("Measures furthest from parity") :]
    assert "WRES2" in section and "2.00" in section and "measure=WRES2" in section
    recruit(world.orgs["RBB"], 40, 10, 40, 10)
    other = client_for("national_admin").get("/equality/actions/?org=RBB").content.decode()
    assert "lies outside the interpretation band" in other
