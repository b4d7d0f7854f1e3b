import datetime

import factory

from carelead.boardappraisals.models import BoardAppraisal, BoardObjective, DomainRating, due_on_for
from carelead.boardappraisals.services import board_framework_current
from carelead.boards.models import BoardMember
from carelead.core.choices import AppraisalRating, BoardRole


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    member_id = factory.Sequence(lambda n: f"BM{n:05d}")
    name = factory.Sequence(lambda n: f"Board Member {n}")
    role = BoardRole.NON_EXECUTIVE
    voting = True
    start_date = datetime.date(2023, 4, 1)


def appraisal_for(
    member: BoardMember,
    *,
    year: int = 2026,
    state: str = BoardAppraisal.State.DRAFT,
    created_by,
    complete: bool = False,
    **values,
) -> BoardAppraisal:
    """An appraisal of ``member`` with a domain rating row per board domain; ``complete`` fills in what sign-off
    needs (an EDI objective, every domain rated, an overall rating) and puts it at the appraiser's review."""
    framework = board_framework_current()
    if complete:
        state = BoardAppraisal.State.REVIEW
        values.setdefault("overall_rating", AppraisalRating.GOOD)
        values.setdefault("feedback_board", 5)
        values.setdefault("feedback_themes", "Trusted by colleagues; could challenge more on finance.")
    appraisal = BoardAppraisal.objects.create(
        member=member,
        organisation=member.organisation,
        role=member.role,
        year=year,
        due_on=due_on_for(role=member.role, year=year),
        framework=framework,
        state=state,
        appraiser_name=values.pop("appraiser_name", "Alex Appraiser"),
        created_by=created_by,
        **values,
    )
    rating = AppraisalRating.GOOD if complete else ""
    DomainRating.objects.bulk_create(
        [
            DomainRating(appraisal=appraisal, domain=d, rating=rating, evidence="Seen at board." if complete else "")
            for d in framework.domains.all()
        ]
    )
    if complete:
        BoardObjective.objects.create(
            appraisal=appraisal,
            title="Diverse shortlists for every board vacancy",
            measure="Every shortlist in 2026 includes a candidate from an under-represented group.",
            is_edi=True,
        )
    return appraisal


def chair_appraisal(world, *, code: str = "RAA") -> BoardAppraisal:
    """The draft appraisal of a chair of ``code``'s board, for tests that need one to open."""
    chair = BoardMemberFactory(organisation=world.orgs[code], name="Carol Chair", role=BoardRole.CHAIR)
    return appraisal_for(chair, created_by=world.users["org_hr"])
