"""NED campaigns: filling board vacancies from the NED candidate pool (domain.md section 7).

A campaign is opened for one organisation's board, for one or more seats of one role. Its role profile names the
skills sought (pre-filled from the board's skills gaps) and the board competency domains it emphasises. The team
builds a longlist from the pool, then records a decision with a reason for each candidate at each step:
shortlisting, interview and appointment. Decisions are written once and never changed; they feed the fairness
monitors of NED appointments (``monitors.py``). An appointment, made by the appointing authority for the
organisation, creates the new board member, their first term of office and their fit and proper person test.

Campaign rows point at candidates and never copy their name or contact details, so erasing a candidate's details
on request (which anonymises the candidate row in place) leaves nothing identifying behind in a campaign.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from carelead.core.choices import BoardRole, OrganisationType
from carelead.core.models import AppendOnlyModel, TimeStampedModel
from carelead.nedpool.models import skill_label

MAX_SEATS = 10


class CampaignRole(models.TextChoices):
    """The board roles a NED campaign fills (executive directors are recruited by the organisation itself)."""

    CHAIR = BoardRole.CHAIR.value, "Chair"
    NON_EXECUTIVE = BoardRole.NON_EXECUTIVE.value, "Non-executive director"
    ASSOCIATE = BoardRole.ASSOCIATE.value, "Associate non-executive director (non-voting)"


class Authority(models.TextChoices):
    """Who appoints to a board seat."""

    NHS_ENGLAND = "nhs_england", "NHS England"
    COUNCIL_OF_GOVERNORS = "council_of_governors", "The council of governors (NHS foundation trusts)"
    NHS_ENGLAND_WITH_SECRETARY = "nhs_england_sos", "NHS England, with the Secretary of State's approval"
    ICB_CHAIR = "icb_chair", "The ICB chair, with NHS England's approval"
    OWN_BOARD = "own_board", "The organisation's own board or governing body"


def authorities_for(*, organisation_type: str, role: str) -> list[str]:
    """The appointing authorities for a seat of ``role`` on a board of ``organisation_type``, the usual one first.

    NHS trust chairs and non-executives are appointed by NHS England; foundation trusts (which CareLead does not
    tell apart from other trusts) appoint through their council of governors. An ICB's chair is appointed by NHS
    England with the Secretary of State's approval, its other non-executive members by its chair with NHS
    England's approval. Care providers, local authorities and other organisations appoint through their own board.
    """
    if organisation_type == OrganisationType.TRUST:
        return [Authority.NHS_ENGLAND, Authority.COUNCIL_OF_GOVERNORS]
    if organisation_type == OrganisationType.ICB:
        return [Authority.NHS_ENGLAND_WITH_SECRETARY if role == CampaignRole.CHAIR else Authority.ICB_CHAIR]
    return [Authority.OWN_BOARD]


def authority_default(*, organisation_type: str, role: str) -> str:
    """The usual appointing authority for a seat of ``role`` on a board of ``organisation_type``."""
    return authorities_for(organisation_type=organisation_type, role=role)[0]


class Campaign(TimeStampedModel):
    """A campaign to fill one or more seats of one role on an organisation's board."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open: building the longlist"
        SHORTLISTING = "shortlisting", "Shortlisting"
        INTERVIEWING = "interviewing", "Interviewing"
        APPOINTED = "appointed", "Appointed: every seat filled"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Campaigns that are still running, and those that have ended.
    LIVE = (Status.OPEN, Status.SHORTLISTING, Status.INTERVIEWING)
    ENDED = (Status.APPOINTED, Status.CLOSED, Status.WITHDRAWN)

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="ned_campaigns"
    )
    role = models.CharField(max_length=16, choices=CampaignRole.choices)
    seats = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    closing_date = models.DateField(help_text="The last day candidates can be added to the longlist")
    authority = models.CharField(max_length=24, choices=Authority.choices)
    skills = models.JSONField(default=list, blank=True, help_text="Codes of the skills sought (nedpool skills)")
    framework = models.ForeignKey(
        "standards.Framework", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    domains = models.ManyToManyField(
        "standards.Domain", blank=True, related_name="+", help_text="Board competency domains the role emphasises"
    )
    person_specification = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "open", "shortlisting", "interviewing", "appointed", "closed", "withdrawn"]
                ),
                name="nedcampaigns_campaign_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "non_executive", "associate"]), name="nedcampaigns_campaign_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_SEATS), name="nedcampaigns_campaign_seats_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def skill_labels(self) -> list[str]:
        return [skill_label(code) for code in self.skills]

    @property
    def live(self) -> bool:
        return self.status in self.LIVE

    @property
    def ended(self) -> bool:
        return self.status in self.ENDED


class Stage(models.TextChoices):
    """Where a candidate is in a campaign."""

    LONGLISTED = "longlisted", "Longlisted"
    SHORTLISTED = "shortlisted", "Shortlisted for interview"
    INTERVIEWED = "interviewed", "Interviewed: appointable"
    APPOINTED = "appointed", "Appointed"
    NOT_PROGRESSED = "not_progressed", "Not taken forward"


class Step(models.TextChoices):
    """The steps at which a decision is recorded about a candidate."""

    LONGLIST = "longlist", "Longlisting"
    SHORTLIST = "shortlist", "Shortlisting"
    INTERVIEW = "interview", "Interview"
    APPOINTMENT = "appointment", "Appointment"


# The stage a candidate must be at for a decision at each step, and where a progressed decision takes them.
STEP_FROM = {
    Step.SHORTLIST: Stage.LONGLISTED,
    Step.INTERVIEW: Stage.SHORTLISTED,
    Step.APPOINTMENT: Stage.INTERVIEWED,
}
STEP_TO = {
    Step.LONGLIST: Stage.LONGLISTED,
    Step.SHORTLIST: Stage.SHORTLISTED,
    Step.INTERVIEW: Stage.INTERVIEWED,
    Step.APPOINTMENT: Stage.APPOINTED,
}
# The next decision due for a candidate at each stage still in the running.
NEXT_STEP = {stage: step for step, stage in STEP_FROM.items()}


class CampaignCandidate(TimeStampedModel):
    """A candidate from the pool on a campaign's longlist, and how far they have got."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="entries")
    candidate = models.ForeignKey("nedpool.Candidate", on_delete=models.PROTECT, related_name="campaign_entries")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.LONGLISTED, db_index=True)
    # How well the candidate matched the role profile when longlisted: sought skills held, validated ones counting
    # twice. Kept so the longlist reads as it was built, whatever the pool says later.
    match_score = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "-match_score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "candidate"], name="nedcampaigns_one_entry_per_candidate"),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="nedcampaigns_entry_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} in campaign {self.campaign_id}"

    @property
    def next_step(self) -> str | None:
        return NEXT_STEP.get(self.stage)


class CampaignDecision(AppendOnlyModel):
    """One decision about one candidate at one step of a campaign, with its reason: written once, never changed."""

    append_only_noun = "Campaign decisions"

    class Outcome(models.TextChoices):
        PROGRESSED = "progressed", "Taken forward"
        NOT_PROGRESSED = "not_progressed", "Not taken forward"

    entry = models.ForeignKey(CampaignCandidate, on_delete=models.PROTECT, related_name="decisions")
    step = models.CharField(max_length=12, choices=Step.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["entry", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "step"], name="nedcampaigns_one_decision_per_step"),
            models.CheckConstraint(
                condition=Q(step__in=["longlist", "shortlist", "interview", "appointment"]),
                name="nedcampaigns_decision_step_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["progressed", "not_progressed"]), name="nedcampaigns_decision_outcome_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="nedcampaigns_decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} decision on entry {self.entry_id}: {self.get_outcome_display()}"


class Appointment(AppendOnlyModel):
    """The appointment of a campaign candidate to the board: who approved it, when the seat starts, the barring
    check, and the board member it created."""

    append_only_noun = "Appointments"

    entry = models.OneToOneField(CampaignCandidate, on_delete=models.PROTECT, related_name="appointment")
    member = models.OneToOneField("boards.BoardMember", on_delete=models.PROTECT, related_name="ned_appointment")
    authority = models.CharField(max_length=24, choices=Authority.choices)
    approver_name = models.CharField(max_length=200, help_text="Who approved the appointment for the authority")
    approved_on = models.DateField()
    starts_on = models.DateField()
    fpp_year = models.CharField(max_length=7, help_text="The financial year of the fit and proper test started")
    # Entries of the barring list whose name matched the candidate's, and why the appointment went ahead anyway.
    barring_references = models.JSONField(default=list, blank=True)
    barring_override_reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__gte=F("approved_on")), name="nedcampaigns_starts_after_ok"),
        ]

    def __str__(self) -> str:
        return f"Appointment from entry {self.entry_id}"
