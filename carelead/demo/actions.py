"""EDI action plans for the demo: trusts with typical or marked gaps act on them, in every state of progress."""

import random
from datetime import date, timedelta

from carelead.demo import catalogue as cat

# Realistic SMART actions per measure: (title, what will be done, how success is measured, owner role).
ACTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "WRES2": [
        (
            "Diverse interview panels for band 7 and above",
            "Every interview panel for posts at band 7 and above includes a trained member from an ethnic minority "
            "background, with panel membership checked by the recruitment team before interviews are booked.",
            "WRES2 below 1.25 for two years running, and 95% of band 7+ panels meeting the rule each quarter.",
            "Director of People",
        ),
        (
            "Debias shortlisting with anonymised applications",
            "Remove names, ages and places of education from applications before shortlisting for all vacancies.",
            "WRES2 at or below 1.10 in the financial year after roll-out.",
            "Head of Recruitment",
        ),
    ],
    "WRES3": [
        (
            "Decision-maker check before formal disciplinary action",
            "A senior manager not involved in the case reviews every proposed formal disciplinary referral against a "
            "just-culture checklist before it goes ahead.",
            "WRES3 within 0.80 to 1.25 on the pooled two-year reading by March 2027.",
            "Deputy Director of Workforce",
        ),
    ],
    "WRES4": [
        (
            "Fair access to funded development",
            "Publish every funded course with its criteria; managers record who was offered a place; the people team "
            "reviews offers by ethnicity every quarter.",
            "WRES4 within the band and the quarterly offer gap below 5 points.",
            "Head of Learning and Organisational Development",
        ),
    ],
    "WRES7": [
        (
            "Reverse mentoring for the executive team",
            "Each executive director is mentored by a member of staff from an ethnic minority background for a year.",
            "Staff survey: the gap in belief in equal opportunities halves within two surveys.",
            "Chief Executive",
        ),
    ],
    "WDES3": [
        (
            "Reasonable adjustments before capability",
            "Managers confirm that reasonable adjustments were offered and recorded before any formal capability "
            "process on performance grounds starts.",
            "WDES3 below 1.25 on the pooled two-year reading within two years.",
            "Director of People",
        ),
    ],
    "FAIR-PROMOTION": [
        (
            "Talent conversations for every band 6 and 7 manager",
            "Every band 6 and 7 member of staff is offered a recorded talent conversation each year, with uptake "
            "reported by ethnicity, disability and age band.",
            "Promotion relative likelihood by ethnicity within 0.80 to 1.25 within three years.",
            "Head of Talent",
        ),
    ],
}
OWNERS = ["Amara Okafor", "James Whitfield", "Priya Raman", "Siobhan Kelly", "Daniel Mensah", "Helen Carter"]
UPDATES = [
    "Agreed at the people committee; communications sent to managers.",
    "First quarter's figures reviewed at the EDI steering group.",
    "Pilot in two divisions finished; rolling out across the trust.",
    "Slower than planned: recruitment team vacancies. Restarted with a named lead.",
]
NHS_KINDS = {"acute", "mental_health", "community", "ambulance", "specialist"}


def action_plans_create(*, seed: int, plan: list, organisation_ids: dict[str, int], author: int, hr: tuple[str, int]):
    """Plans for about half the trusts with a gap: 2–5 actions each, started over the last three years."""
    from carelead.actionplans.models import Action, ActionUpdate

    rnd = random.Random(f"carelead-demo:{seed}:actions")
    as_of = cat.AS_OF
    actions: list[Action] = []
    updates: list[tuple[int, list[tuple[date, str, str, str]]]] = []
    for org in plan:
        if org.kind not in NHS_KINDS or org.code not in organisation_ids:
            continue
        persona_trust = org.code == hr[0]
        if not persona_trust and (org.disparity == 0 or rnd.random() < 0.5):
            continue
        created_by = hr[1] if persona_trust else author
        measures = rnd.sample(list(ACTIONS), k=min(len(ACTIONS), rnd.randint(2, 5)))
        for code in measures:
            title, description, success, role = rnd.choice(ACTIONS[code])
            start = as_of - timedelta(days=rnd.randint(60, 3 * 365))
            due = start + timedelta(days=rnd.choice([180, 270, 365, 540]))
            log: list[tuple[date, str, str, str]] = []
            status, completed, dropped = Action.Status.PLANNED, None, ""
            roll = rnd.random()
            if start < as_of - timedelta(days=30):
                log.append((start + timedelta(days=14), UPDATES[0], Action.Status.PLANNED, Action.Status.IN_PROGRESS))
                status = Action.Status.IN_PROGRESS
                if roll < 0.4 and due < as_of:
                    completed = min(as_of, due + timedelta(days=rnd.randint(-60, 45)))
                    log.append(
                        (completed, "Done: the measure of success is being tracked.", status, Action.Status.DONE)
                    )
                    status = Action.Status.DONE
                elif roll < 0.48:
                    dropped = "Replaced by the system-wide programme led by the ICB."
                    day = start + timedelta(days=rnd.randint(60, 200))
                    log.append((min(day, as_of), dropped, status, Action.Status.DROPPED))
                    status = Action.Status.DROPPED
                else:
                    note = rnd.choice(UPDATES[1:])
                    log.append((min(as_of, start + timedelta(days=rnd.randint(60, 300))), note, status, status))
            actions.append(
                Action(
                    organisation_id=organisation_ids[org.code],
                    measure_code=code,
                    title=title,
                    description=description,
                    success_measure=success,
                    owner_name=rnd.choice(OWNERS),
                    owner_role=role,
                    start_on=start,
                    due_on=due,
                    status=status,
                    dropped_reason=dropped,
                    completed_on=completed,
                    created_by_id=created_by,
                )
            )
            updates.append((created_by, log))
    Action.objects.bulk_create(actions, batch_size=500)
    ActionUpdate.objects.bulk_create(
        [
            ActionUpdate(
                action=action, date=day, note=note, status_before=before, status=after, recorded_by_id=recorded_by
            )
            for action, (recorded_by, log) in zip(actions, updates, strict=True)
            for day, note, before, after in log
        ],
        batch_size=500,
    )
    return len(actions)
