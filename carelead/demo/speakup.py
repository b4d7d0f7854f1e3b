"""Demo speak-up cases: eight quarters of concerns for the persona trust and a sample of other organisations.

The persona trust's guardian sees a full caseload: every category, way of being known and status, conversations
with anonymous reporters going both ways, notes, escalations, detriment, feedback and closures, and some cases
closed so long ago that their content has gone under the retention policy (and a few that the next purge will
clear). Other organisations get lighter cases in proportion to their size, enough for the quarterly return to
have national figures: about 3,000 a quarter at the national size.

One anonymous case at the persona trust has a receipt code and secret derived from the seed
(``demo_receipt``), so testers can follow a case as its reporter. Its receipt code starts DEMO, which no real
receipt code can (real codes never contain the letter O). Every other demo case has no way in.

Rows go through the demo Sink (COPY on PostgreSQL), so the national size takes seconds.
"""

import hashlib
import json
import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from carelead.accounts.roles import Role
from carelead.core.choices import OrganisationType
from carelead.demo.names import NAME_GROUPS
from carelead.demo.sink import Sink
from carelead.organisations.models import Organisation
from carelead.speakup import credentials
from carelead.speakup.models import (
    CATEGORY_FIELDS,
    Attachment,
    Case,
    Category,
    Escalation,
    IdentityAccess,
    Message,
    Mode,
    Note,
    ProfessionalGroup,
    Status,
)
from carelead.speakup.services import retention_days

QUARTERS = 8
PERSONA_PER_QUARTER = 30
# Concerns a quarter, on average, by kind of organisation, and how many of each kind are sampled at most.
RATE = {OrganisationType.TRUST: 35, OrganisationType.ICB: 4, OrganisationType.CARE_PROVIDER: 1}
SAMPLE = {OrganisationType.TRUST: 80, OrganisationType.ICB: 10, OrganisationType.CARE_PROVIDER: 200}
MODES = [(Mode.NAMED, 45), (Mode.CONFIDENTIAL, 35), (Mode.ANONYMOUS, 20)]
CATEGORIES = [
    (Category.PATIENT_SAFETY, 30),
    (Category.BULLYING, 22),
    (Category.BEHAVIOUR, 25),
    (Category.WORKER_SAFETY, 12),
    (Category.DETRIMENT, 3),
    (Category.DISCRIMINATION, 5),
    (Category.OTHER, 8),
]
GROUPS = [
    (ProfessionalGroup.REGISTERED_NURSES, 28),
    (ProfessionalGroup.NURSING_SUPPORT, 12),
    (ProfessionalGroup.MEDICAL, 9),
    (ProfessionalGroup.ALLIED_HEALTH, 8),
    (ProfessionalGroup.SCIENTIFIC, 3),
    (ProfessionalGroup.ADMIN, 12),
    (ProfessionalGroup.ESTATES, 5),
    (ProfessionalGroup.CARE_WORKERS, 6),
    (ProfessionalGroup.MANAGERS, 4),
    (ProfessionalGroup.STUDENTS, 3),
    (ProfessionalGroup.OTHER, 3),
    (ProfessionalGroup.NOT_SAID, 4),
    ("", 3),
]
WARDS = [
    "ward 7",
    "the emergency department",
    "theatres",
    "the stroke unit",
    "the maternity unit",
    "outpatients",
    "the discharge lounge",
    "the community team",
    "night shifts",
    "the pharmacy",
    "the mental health unit",
]
CONCERNS = {
    Category.PATIENT_SAFETY: [
        "On {place} we are regularly left with one registered nurse for 28 patients. Observations are being missed "
        "and I am worried someone will come to harm.",
        "Falls on {place} are not being reported on the incident system. Staff have been told it makes the figures "
        "look bad.",
        "Medicines on {place} are being given late because the trolley keys go missing. Nobody seems to act on it.",
    ],
    Category.BULLYING: [
        "A senior colleague on {place} shouts at junior staff in front of patients and singles out the same people "
        "for the worst jobs.",
        "I am being excluded from rota decisions and spoken to in a humiliating way in handovers on {place}.",
    ],
    Category.BEHAVIOUR: [
        "Breaks on {place} are being recorded as taken when they are not, and we are told to sign the sheet anyway.",
        "Managers on {place} discuss staff sickness openly in the corridor where patients and visitors can hear.",
    ],
    Category.WORKER_SAFETY: [
        "Staff on {place} are walking to the car park alone after late shifts; the lighting has been broken for weeks.",
        "We have had three assaults on {place} this month and no debrief or support has been offered.",
    ],
    Category.DETRIMENT: [
        "Since I raised a concern about staffing on {place} I have been moved to nights without being asked.",
    ],
    Category.DISCRIMINATION: [
        "Overseas-trained nurses on {place} are passed over for acting-up posts and training places.",
        "A colleague with a disability has had their reasonable adjustments on {place} withdrawn without a meeting.",
    ],
    Category.OTHER: [
        "The way rotas are published for {place} gives less than a week's notice, and requests are ignored.",
    ],
}
GUARDIAN_REPLIES = [
    "Thank you for speaking up. I have read your concern and I am looking into it. Can you tell me roughly when "
    "this started?",
    "Thank you for the extra detail. I have raised this with the director of nursing and will update you here.",
    "I wanted to let you know the matron has agreed to review the rota. I will write again when I hear more.",
    "Thank you again for speaking up. The review has finished and changes have been made; the outcome is below.",
]
REPORTER_REPLIES = [
    "It has been going on since the start of the year, mostly on weekends.",
    "Thank you. Nothing has changed yet but I appreciate the update.",
    "It is a bit better now. I have not been treated differently since I raised it.",
]
NOTES = [
    "Discussed with the executive lead for speaking up; agreed to escalate.",
    "Checked the incident system: two falls in the period were not reported.",
    "Spoke to the ward manager informally. No names shared.",
]
OUTCOMES = [
    "Staffing review completed; an extra registered nurse added to night shifts.",
    "Investigated by HR; informal resolution agreed and team training arranged.",
    "Concern not upheld after review of the records; reporter thanked and told the findings.",
    "Estates repaired the lighting and security patrols were added.",
]
ESCALATED_TO = ["Director of nursing", "Executive lead for speaking up", "Medical director", "Head of HR",
                "Care Quality Commission"]  # fmt: skip


def demo_receipt(*, seed: int) -> tuple[str, str]:
    """The demo case's receipt code and secret for a seed: ``DEMO`` then twelve characters, and twelve."""
    rng = random.Random(f"carelead-demo:{seed}:speakup-receipt")
    receipt = "DEMO" + "".join(rng.choice(credentials.ALPHABET) for _ in range(credentials.RECEIPT_LENGTH - 4))
    secret = "".join(rng.choice(credentials.ALPHABET) for _ in range(credentials.SECRET_LENGTH))
    return receipt, secret


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class _Writer:
    """Plans one case at a time and buffers its rows in the sink."""

    def __init__(self, *, sink: Sink, seed: int, today: date, guardian_id: int) -> None:
        self.sink = sink
        self.rng = random.Random(f"carelead-demo:{seed}:speakup")
        self.seed = seed
        self.today = today
        self.guardian_id = guardian_id
        self.retention = retention_days()
        self.moment = connection.ops.adapt_datetimefield_value
        self.cases = sink.table(
            Case,
            [
                "organisation",
                "mode",
                "status",
                "received_on",
                "description",
                "professional_group",
                "reported_categories",
                *CATEGORY_FIELDS.values(),
                "reporter_name",
                "reporter_email",
                "reporter_phone",
                "receipt_digest",
                "secret_hash",
                "reporter_detriment",
                "reporter_detriment_on",
                "detriment",
                "awaiting_reply",
                "triaged_on",
                "feedback_given",
                "feedback_given_on",
                "identity_revealed_on",
                "closed_on",
                "outcome",
                "purged_on",
            ],
        )
        self.messages = sink.table(Message, ["case", "sender", "body", "sent_on", "author"])
        self.notes = sink.table(Note, ["case", "body", "written_by", "written_at"])
        self.escalations = sink.table(
            Escalation, ["case", "escalated_to", "escalated_on", "details", "recorded_by", "recorded_at"]
        )
        self.accesses = sink.table(IdentityAccess, ["case", "kind", "revealed_to", "reason", "by", "at"])
        self.number = 0

    def _at(self, day: date):
        hour = self.rng.randint(8, 17)
        return self.moment(timezone.make_aware(datetime.combine(day, time(hour, self.rng.randint(0, 59)))))

    def _day(self, start: date, days: int) -> date:
        return min(self.today, start + timedelta(days=days))

    def _status(self, received: date) -> str:
        age = (self.today - received).days
        if age < 7:
            weights = [(Status.NEW, 70), (Status.TRIAGED, 30)]
        elif age < 45:
            weights = [(Status.NEW, 5), (Status.TRIAGED, 25), (Status.IN_PROGRESS, 45), (Status.ESCALATED, 15),
                       (Status.CLOSED, 10)]  # fmt: skip
        elif age < 150:
            weights = [(Status.IN_PROGRESS, 25), (Status.ESCALATED, 15), (Status.CLOSED, 60)]
        else:
            weights = [(Status.IN_PROGRESS, 3), (Status.ESCALATED, 2), (Status.CLOSED, 95)]
        return _pick(self.rng, weights)

    def case(self, *, organisation_id: int, received: date, full: bool, force: dict | None = None) -> int:
        """Buffer one case (and, when ``full``, its conversation, notes, escalations and identity looks)."""
        rng, force = self.rng, force or {}
        self.number += 1
        mode = force.get("mode") or _pick(rng, MODES)
        categories = force.get("categories") or sorted(
            {_pick(rng, CATEGORIES) for _ in range(rng.choice((1, 1, 1, 2)))}, key=Category.values.index
        )
        status = force.get("status") or self._status(received)
        place = rng.choice(WARDS)
        description = rng.choice(CONCERNS[categories[0]]).format(place=place)
        name = email = phone = ""
        if mode != Mode.ANONYMOUS:
            female, male, surnames = NAME_GROUPS[rng.choice(sorted(NAME_GROUPS))]
            first, last = rng.choice(female + male), rng.choice(surnames)
            name = f"{first} {last}"
            if rng.random() < 0.7:
                email = f"{first}.{last}".lower().replace(" ", "").replace("'", "") + "@nhs.example"
            if rng.random() < 0.3:
                phone = f"07700 900{rng.randint(100, 999)}"
        triaged = None if status == Status.NEW else self._day(received, rng.randint(1, 6))
        closed = outcome = None
        if status == Status.CLOSED:
            closed = self._day(received, rng.randint(14, 120))
            outcome = rng.choice(OUTCOMES)
        reporter_detriment = reporter_detriment_on = None
        if triaged and rng.random() < 0.35:
            reporter_detriment = "yes" if rng.random() < 0.12 else "no"
            reporter_detriment_on = self._day(triaged, rng.randint(5, 40))
        detriment = reporter_detriment == "yes" and rng.random() < 0.7
        feedback = closed is not None and rng.random() < 0.85
        feedback_on = closed if feedback else None
        revealed = None
        if mode == Mode.CONFIDENTIAL and triaged and rng.random() < 0.05:
            revealed = self._day(triaged, rng.randint(3, 20))
        # Past the retention period, the daily purge has cleared the content, except of those that fell due in the
        # last month: the next run takes them.
        purged = None
        if closed is not None and (self.today - closed).days > self.retention + 30:
            purged = closed + timedelta(days=self.retention + 1)
        awaiting = status == Status.NEW or (status != Status.CLOSED and rng.random() < 0.2)
        case_id = self.cases.next_id
        self.cases.add(
            (
                organisation_id,
                mode,
                status,
                received.isoformat(),
                "" if purged else description,
                _pick(rng, GROUPS),
                json.dumps([] if purged else categories),
                *(code in categories for code in CATEGORY_FIELDS),
                "" if purged else name,
                "" if purged else email.lower(),
                "" if purged else phone,
                f"purged-{case_id}"
                if purged
                else hashlib.sha256(f"carelead-demo:{self.seed}:speakup-case:{self.number}".encode()).hexdigest(),
                "!",
                reporter_detriment or "",
                reporter_detriment_on.isoformat() if reporter_detriment_on else None,
                detriment,
                awaiting and not purged,
                None if purged or not triaged else triaged.isoformat(),
                feedback,
                feedback_on.isoformat() if feedback_on else None,
                None if purged or not revealed else revealed.isoformat(),
                closed.isoformat() if closed else None,
                "" if purged or not outcome else outcome,
                purged.isoformat() if purged else None,
            )
        )
        if purged or triaged is None:
            return case_id
        self._history(case_id, mode=mode, status=status, triaged=triaged, closed=closed, full=full, revealed=revealed)
        return case_id

    def _history(self, case_id, *, mode, status, triaged, closed, full, revealed) -> None:
        rng = self.rng
        author = self.guardian_id if full else None
        last = closed or self.today
        turns = rng.randint(1, 4) if full else rng.randint(0, 1)
        day = triaged
        for turn in range(turns):
            self.messages.add((case_id, "guardian", GUARDIAN_REPLIES[min(turn, 2)], day.isoformat(), author))
            day = min(last, day + timedelta(days=rng.randint(1, 9)))
            if turn < turns - 1 or rng.random() < 0.5:
                self.messages.add((case_id, "reporter", rng.choice(REPORTER_REPLIES), day.isoformat(), None))
                day = min(last, day + timedelta(days=rng.randint(1, 9)))
        if closed and full and rng.random() < 0.8:
            self.messages.add((case_id, "guardian", GUARDIAN_REPLIES[3], closed.isoformat(), author))
        if not full:
            return
        for _ in range(rng.randint(0, 2)):
            self.notes.add((case_id, rng.choice(NOTES), self.guardian_id, self._at(day)))
        if status == Status.ESCALATED or (status == Status.CLOSED and rng.random() < 0.2):
            on = self._day(triaged, rng.randint(2, 12))
            self.escalations.add(
                (
                    case_id,
                    rng.choice(ESCALATED_TO),
                    on.isoformat(),
                    "Staffing figures and the dates given.",
                    self.guardian_id,
                    self._at(on),
                )
            )
        if mode == Mode.CONFIDENTIAL and rng.random() < 0.3:
            self.accesses.add((case_id, "shown", "", "", self.guardian_id, self._at(triaged)))
        if revealed:
            self.accesses.add(
                (
                    case_id,
                    "revealed",
                    "Investigating officer",
                    "The reporter agreed on the phone.",
                    self.guardian_id,
                    self._at(revealed),
                )
            )


def _others(*, trust: Organisation, rng: random.Random) -> list[Organisation]:
    chosen = []
    for kind, most in SAMPLE.items():
        found = list(Organisation.objects.filter(type=kind).exclude(pk=trust.pk).order_by("code").only("id", "type"))
        chosen += rng.sample(found, min(most, len(found)))
    return chosen


def _demo_case(*, seed: int, trust: Organisation, guardian_id: int, today: date) -> Case:
    """The anonymous case testers can follow with the receipt code of ``demo_receipt``."""
    receipt, secret = demo_receipt(seed=seed)
    received = today - timedelta(days=20)
    case = Case(
        organisation=trust,
        mode=Mode.ANONYMOUS,
        status=Status.IN_PROGRESS,
        received_on=received,
        description="Agency nurses on ward 7 are being asked to work without a proper handover, and twice this month "
        "a patient's allergy was missed. I do not want to be named because I work closely with the ward manager.",
        professional_group=ProfessionalGroup.REGISTERED_NURSES,
        reported_categories=[Category.PATIENT_SAFETY, Category.WORKER_SAFETY],
        is_patient_safety=True,
        is_worker_safety=True,
        receipt_digest=credentials.receipt_digest(receipt),
        secret_hash=credentials.secret_hash(secret),
        triaged_on=received + timedelta(days=1),
        awaiting_reply=True,
    )
    case.full_clean()
    case.save()
    conversation = [
        (
            "guardian",
            1,
            "Thank you for speaking up. Could you tell me which shifts this happens on, without saying "
            "anything that would identify you?",
        ),
        ("reporter", 4, "Mostly weekend nights, when the regular staff are short."),
        (
            "guardian",
            6,
            "Thank you. I have asked the matron to check the weekend handover records and attached our "
            "handover checklist. I will update you here.",
        ),
        ("reporter", 9, "Thank you. The checklist would help if it were used on nights."),
    ]
    for sender, days, body in conversation:
        message = Message.objects.create(
            case=case,
            sender=sender,
            body=body,
            sent_on=received + timedelta(days=days),
            author_id=guardian_id if sender == "guardian" else None,
        )
        if days == 6:
            checklist = Attachment(
                case=case, message=message, name="Handover checklist.txt", content_type="text/plain", size=0
            )
            content = b"Handover checklist\n- Allergies checked\n- Observations due\n- Escalation plan\n"
            checklist.size = len(content)
            checklist.file.save("upload", ContentFile(content), save=False)
            checklist.save()
    return case


def speakup_demo_create(*, seed: int, guardian_user) -> int:
    """Write the demo's speak-up cases; returns how many cases were written. Same seed, same cases (on a day)."""
    trust = guardian_user.assignments.get(role=Role.GUARDIAN).organisation
    today = timezone.localdate()
    first_day = _quarter_start(today)
    for _ in range(QUARTERS - 1):
        first_day = _quarter_start(first_day - timedelta(days=1))
    span = (today - first_day).days
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Foreign keys checked per statement: the sink rebuilds indexes, which pending checks would block.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sink = Sink(connection)
        writer = _Writer(sink=sink, seed=seed, today=today, guardian_id=guardian_user.pk)
        rng = writer.rng
        persona_cases = PERSONA_PER_QUARTER * QUARTERS
        received = sorted(first_day + timedelta(days=rng.randint(0, span)) for _ in range(persona_cases))
        # The newest cases cover every category, way of being known and status, whatever the draw.
        forced = [
            {"categories": [code], "mode": Mode.values[i % 3], "status": Status.values[i % 5]}
            for i, code in enumerate(Category.values)
        ]
        for index, day in enumerate(received):
            force = forced[index - (persona_cases - len(forced))] if index >= persona_cases - len(forced) else None
            if force and force["status"] == Status.CLOSED:
                day = min(day, today - timedelta(days=20))
            writer.case(organisation_id=trust.pk, received=day, full=True, force=force)
        for organisation in _others(trust=trust, rng=rng):
            for _quarter in range(QUARTERS):
                mean = RATE[organisation.type]
                count = max(0, round(rng.gauss(mean, mean / 3)))
                for _ in range(count):
                    writer.case(
                        organisation_id=organisation.pk,
                        received=first_day + timedelta(days=rng.randint(0, span)),
                        full=False,
                    )
        sink.flush()
        sink.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _demo_case(seed=seed, trust=trust, guardian_id=guardian_user.pk, today=today)
    sink.analyze()
    return writer.cases.count + 1
