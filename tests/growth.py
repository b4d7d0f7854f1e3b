"""More data of the kinds the pages list, for the query-budget test: each grower adds ``n`` more records to the
organisations the personas see (RAA, RBB and the Holdout Region Y99), reusing each app's own test helpers.

``grow(world, namespace, n)`` runs the growers for a URL namespace together with the common ones (people, users,
organisations, audit rows, imports). Every call adds new records with new names, so it can run several times.
"""

import datetime
import itertools

from django.utils import timezone

_rounds = itertools.count(1)


def _common(world, n: int, k: int) -> None:
    """Organisations in the holdout ICB; staff in the manager's team with users, audit rows and import jobs."""
    from tests.test_query_counts import grow as people_and_organisations

    people_and_organisations(world, n)


def _monitored_staff(world, n: int, k: int) -> None:
    from carelead.people.tests.factories import MonitoringFactory

    for i in range(n):
        for code, ethnic in (("RAA", "A"), ("RBB", "H")):
            MonitoringFactory(
                person__organisation=world.orgs[code],
                person__start_date=datetime.date(2019, 4, 1),
                ethnic_category=ethnic,
                disability="Y" if i % 2 else "N",
            )


def _boards(world, n: int, k: int) -> None:
    """Seats with terms, reviews and appraisals in RAA and RBB; places on every committee; skills held."""
    from carelead.boardappraisals.tests.factories import BoardMemberFactory
    from carelead.boards.models import Committee, CommitteeMembership
    from carelead.boards.tests.test_pages import _grow
    from carelead.boardskills.tests.factories import held

    _grow(world, n)
    for committee in Committee.objects.filter(organisation__code__in=("RAA", "RBB")):
        for _ in range(n):
            member = BoardMemberFactory(organisation=committee.organisation)
            CommitteeMembership.objects.create(
                committee=committee, member=member, starts_on=member.start_date or datetime.date(2024, 1, 1)
            )
    for code in ("RAA", "RBB"):
        for i in range(n):
            member = BoardMemberFactory(organisation=world.orgs[code])
            held(member, "finance", own=3, validated=2 if i % 2 else None)
            held(member, "digital", own=1)


def _board_appraisals(world, n: int, k: int) -> None:
    from carelead.boardappraisals.tests.test_pages import grow

    grow(world, n)


def _board_diversity(world, n: int, k: int) -> None:
    from carelead.boarddiversity.tests.factories import seat

    for code in ("RAA", "RBB"):
        for i in range(n):
            seat(world.orgs[code], ethnic="H" if i % 2 else "A", disability="Y" if i % 3 == 0 else "N")
    _monitored_staff(world, n, k)


def _board_skills(world, n: int, k: int) -> None:
    from carelead.boardappraisals.tests.factories import BoardMemberFactory
    from carelead.boardskills.models import SkillRequirement
    from carelead.boardskills.tests.factories import SkillRequirementFactory, held
    from carelead.core.choices import OrganisationType
    from carelead.organisations.models import Organisation
    from carelead.organisations.services import organisation_tree_rebuild

    for code in ("RAA", "RBB"):
        for skill in ("finance", "legal", "digital"):
            if not SkillRequirement.objects.filter(organisation=world.orgs[code], skill=skill).exists():
                SkillRequirementFactory(organisation=world.orgs[code], skill=skill, needed=2)
    for i in range(n):
        org = Organisation.objects.create(
            code=f"S{k:03d}{i:03d}", name=f"Skills Trust {k}-{i}", type=OrganisationType.TRUST, parent=world.orgs["QZZ"]
        )
        SkillRequirementFactory(organisation=org, skill="finance", needed=2)
        held(BoardMemberFactory(organisation=org), "finance", own=3)
        for code in ("RAA", "RBB"):
            member = BoardMemberFactory(organisation=world.orgs[code])
            held(member, "finance", own=2, validated=2 if i % 3 else None)
            held(member, "legal", own=1)
    organisation_tree_rebuild()


def _fitproper(world, n: int, k: int) -> None:
    from carelead.fitproper.tests.test_pages import _grow_board

    for code in ("RAA", "RBB"):
        _grow_board(world, n, code=code)


def _nedpool(world, n: int, k: int) -> None:
    from carelead.nedpool.tests.test_pool import _grow

    _grow(world, n, 1000 * k)


def _nedcampaigns(world, n: int, k: int) -> None:
    from carelead.nedcampaigns.models import Campaign
    from carelead.nedcampaigns.tests.factories import campaign, longlisted, pool_candidate
    from carelead.nedcampaigns.tests.test_pages import _grow_campaign

    for camp in Campaign.objects.filter(organisation__code__in=("RAA", "RBB"), status__in=Campaign.LIVE):
        longlisted(world, camp, *[pool_candidate(world, skills=("finance", "legal")) for _ in range(n)])
    for code in ("RAA", "RBB"):
        _grow_campaign(world, campaign(world, code=code), n + 1)
    _nedpool(world, n, k)


def _speakup(world, n: int, k: int) -> None:
    from carelead.speakup.models import Case
    from carelead.speakup.tests.factories import case, history

    guardian = world.users["guardian"]
    for existing in Case.objects.filter(organisation__code="RAA"):
        history(case=existing, guardian=guardian, size=n)
    today = timezone.localdate()
    for i in range(n):
        for code in ("RAA", "RBB"):
            made = case(organisation=world.orgs[code], received_on=today - datetime.timedelta(days=40 * i))
            case(organisation=world.orgs[code], mode="named", status="closed" if i % 2 else "new")
            history(case=made, guardian=guardian, size=1)


def _vacancies(world, n: int, k: int) -> None:
    from carelead.people.tests.factories import PersonFactory
    from carelead.vacancies import services
    from carelead.vacancies.models import ApplicationSource, Vacancy
    from carelead.vacancies.tests.test_vacancies_pages import _grow

    talent = world.users["regional_talent"]
    for vacancy in Vacancy.objects.filter(organisation__code__in=("RAA", "RBB")):
        for _ in range(n):
            person = PersonFactory(organisation=world.orgs["RAA"])
            services.application_create(vacancy=vacancy, person=person, by=talent, source=ApplicationSource.INVITED)
    _grow(world, n)


def _challenged(world, n: int, k: int) -> None:
    from carelead.challenged.tests.test_pages import _more_data

    _more_data(world, n, 1000 * k)
    _vacancies(world, n, k)


def _succession(world, n: int, k: int) -> None:
    from carelead.people.tests.factories import PersonFactory
    from carelead.succession.models import SuccessionPlan
    from carelead.succession.tests.factories import CandidateFactory
    from carelead.succession.tests.test_queries import _grow

    for plan in SuccessionPlan.objects.filter(organisation__code__in=("RAA", "RBB")):
        for _ in range(n):
            CandidateFactory(plan=plan, person=PersonFactory(organisation=plan.organisation))
    _grow(world, n)


def _talent(world, n: int, k: int) -> None:
    from carelead.appraisals.models import Appraisal, Cycle
    from carelead.people.models import Person
    from carelead.talent.tests.test_pools import grow

    grow(world, n)
    for cycle in Cycle.objects.filter(organisation__code="RAA"):
        for person in Person.objects.filter(organisation=cycle.organisation).exclude(appraisals__cycle=cycle)[: 2 * n]:
            Appraisal.objects.create(
                cycle=cycle, person=person, state="signed_off", overall_rating="good", signed_off_on=cycle.opens_on
            )


def _appraisals(world, n: int, k: int) -> None:
    from carelead.appraisals.models import Appraisal, Cycle
    from carelead.people.models import Person

    for cycle in Cycle.objects.filter(organisation__code__in=("RAA", "RBB")):
        for person in Person.objects.filter(organisation=cycle.organisation).exclude(appraisals__cycle=cycle)[: 2 * n]:
            Appraisal.objects.create(cycle=cycle, person=person)


def _feedback(world, n: int, k: int) -> None:
    from carelead.feedback.tests.test_pages import _grow

    _grow(world, n)


def _actionplans(world, n: int, k: int) -> None:
    from carelead.actionplans.models import Action
    from carelead.actionplans.tests.factories import ActionUpdateFactory
    from carelead.actionplans.tests.test_pages import _grow

    for action in Action.objects.filter(organisation__code__in=("RAA", "RBB")):
        for _ in range(n):
            ActionUpdateFactory(action=action, recorded_by=world.users["org_hr"])
    _grow(world, n)


# URL namespace -> what its pages list, beyond the common growth.
GROWERS = {
    "boards": [_boards, _board_appraisals, _fitproper],
    "boardappraisals": [_board_appraisals],
    "boarddiversity": [_board_diversity],
    "boardskills": [_board_skills, _boards],
    "fitproper": [_fitproper],
    "nedpool": [_nedpool],
    "nedcampaigns": [_nedcampaigns],
    "speakup": [_speakup],
    "speakup_returns": [_speakup],
    "vacancies": [_vacancies],
    "challenged": [_challenged],
    "succession": [_succession],
    "talent": [_talent],
    "appraisals": [_appraisals],
    "feedback": [_feedback],
    "actionplans": [_actionplans],
    "equality": [_monitored_staff, _actionplans],
    "people": [_monitored_staff],
    "api": [_monitored_staff],
}


def grow(world, namespace: str, n: int) -> None:
    """Add ``n`` more of everything the pages of ``namespace`` list."""
    k = next(_rounds)
    _common(world, n, k)
    for grower in GROWERS.get(namespace, []):
        grower(world, n, k)
