"""360 feedback for the demo, through the same services the pages use: the staff persona's appraisal has a
closed request whose peer group (three answers) is shown and whose other group (two answers) is not; a second
request is still open. No email leaves the demo: the loader sends mail to memory."""

import random
from datetime import timedelta

from django.utils import timezone

from carelead.feedback import services
from carelead.feedback.models import SCORE_FIELDS, Rater

STRENGTHS = [
    "Always makes time to explain decisions to the team.",
    "Calm and clear when the ward is under pressure.",
    "Brings people from other teams into the conversation early.",
    "Follows up on every concern raised at handover.",
]
DEVELOPMENT = [
    "Could delegate more of the rota work.",
    "Would benefit from presenting to the divisional board.",
    "Sometimes moves on before everyone has been heard.",
]


def _colleagues(person, n: int, rnd: random.Random) -> list:
    from carelead.people.models import Person

    pool = list(
        Person.objects.filter(organisation=person.organisation, end_date__isnull=True)
        .exclude(pk=person.pk)
        .exclude(email="")
        .order_by("pk")[:200]
    )
    return rnd.sample(pool, min(n, len(pool)))


def _answer(rater: Rater, rnd: random.Random) -> None:
    services.feedback_answer_submit(
        rater=rater,
        scores={code: rnd.randint(3, 5) for code in SCORE_FIELDS},
        strengths=rnd.choice(STRENGTHS),
        development=rnd.choice(DEVELOPMENT),
    )


def feedback_create(*, seed: int, staff_appraisal) -> int:
    """Returns the number of answers written."""
    from carelead.accounts.models import User

    rnd = random.Random(f"carelead-demo:{seed}:feedback")
    answers = 0
    if staff_appraisal is None or staff_appraisal.appraiser is None:
        return 0
    person_user = User.objects.filter(person=staff_appraisal.person).first()
    manager_user = User.objects.filter(person=staff_appraisal.appraiser).first()
    if person_user is None or manager_user is None:
        return 0
    deadline = timezone.localdate() + timedelta(days=21)
    for subject, title, close in (
        (staff_appraisal, None, True),
        (None, "Before the leadership course", False),
    ):
        extra = (
            {}
            if subject
            else {
                "person": staff_appraisal.person,
                "manager": staff_appraisal.appraiser,
                "organisation": staff_appraisal.person.organisation,
                "title": title,
            }
        )
        request = services.feedback_request_create(subject=subject, deadline=deadline, by=person_user, **extra)
        appraisal = staff_appraisal
        colleagues = _colleagues(appraisal.person, 7, rnd)
        for group, people in (("peer", colleagues[:4]), ("other", colleagues[4:7])):
            for colleague in people:
                services.feedback_rater_add(
                    request=request,
                    by=person_user,
                    group=group,
                    name=f"{colleague.first_name} {colleague.last_name}",
                    email=colleague.email,
                    person=colleague,
                )
        services.feedback_submit(request=request, by=person_user)
        services.feedback_approve(request=request, by=manager_user)
        raters = {
            g: list(Rater.objects.filter(request=request, group=g).order_by("pk"))
            for g in ("self", "manager", "peer", "other")
        }
        answering = raters["self"] + raters["manager"] + raters["peer"][:3] + raters["other"][:2]
        if not close:
            answering = raters["peer"][:1]
        for rater in answering:
            _answer(rater, rnd)
            answers += 1
        if close:
            services.feedback_close(request=request, by=person_user)
    return answers
