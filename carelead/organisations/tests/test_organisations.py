"""The organisation tree, the challenged flag and disclosure control of headline figures."""

from carelead.core.disclosure import count_published
from carelead.organisations.models import Organisation


def test_paths_regions_and_icbs_follow_the_tree(world):
    raa = Organisation.objects.get(code="RAA")
    assert raa.path == f"{world.orgs['X24'].path}{world.orgs['Y99'].pk}/{world.orgs['QZZ'].pk}/{raa.pk}/"
    assert (raa.region.code, raa.icb.code) == ("Y99", "QZZ")
    assert world.orgs["Y99"].contains(raa) and not world.orgs["Y98"].contains(raa)


def test_challenged_follows_segment_five_or_inadequate(world):
    assert world.orgs["RBB"].is_challenged and world.orgs["RCC"].is_challenged
    assert not world.orgs["RAA"].is_challenged


def test_the_challenged_filter(client_for, world):
    page = client_for("regulator").get("/organisations/?challenged=yes").content.decode()
    assert "Holdout Small Trust" in page and "Far Away Trust" in page and "Holdout Large Trust" not in page


def test_disclosure_control_rules():
    assert count_published(0).text == "0"
    assert all(count_published(n).text == "*" for n in range(1, 8))
    assert count_published(8).text == "10"
    assert count_published(12).text == "10"
    assert count_published(13).text == "15"
    assert count_published(3, national=True).text == "3"


def test_headline_figures_are_exact_for_hr_and_published_for_others(client_for, world):
    hr_page = client_for("org_hr").get("/organisations/RAA/").content.decode()
    regulator_page = client_for("regulator").get("/organisations/RAA/").content.decode()
    assert 'Staff in post (excluding bank)</td>\n      <td class="nhsuk-table__cell app-number">6<' in hr_page
    assert "Published figures" in regulator_page
    assert 'app-number">*<' in regulator_page
