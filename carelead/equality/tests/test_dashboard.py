"""The equality dashboard: exact figures only with record-level rights, published ones for everyone else."""

import datetime

from carelead.equality.models import RecruitmentDecision
from carelead.equality.selectors import latest_period


def recruit(org, n_white, w_appointed, n_bme, b_appointed):
    day = latest_period().start + datetime.timedelta(days=30)
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
