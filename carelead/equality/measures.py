"""Every equality measure CareLead reports: its code, name, definition and which direction is better.

One catalogue serves the dashboard, the definition pages, trend charts, fairness monitors and action plans,
so a figure always links to the same words. Definitions follow domain.md section 9 (WRES and WDES) and the
fairness monitors' own rule (a relative likelihood with a confidence interval, compared with a locally adopted
interpretation band).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    code: str
    standard: str  # wres, wdes or fairness
    title: str
    definition: str
    kind: str  # likelihood (relative likelihood), share (representation %), gap (percentage points), survey (%)
    better: str  # lower, higher, parity (closest to 1 or 0), or neutral
    reading: str = ""  # how to read the value

    @property
    def unit(self) -> str:
        return {"share": "%", "gap": "pts", "survey": "%"}.get(self.kind, "")


LIKELIHOOD_READING = "A relative likelihood above 1 means the second group fares worse; 1 is parity."

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        Measure(
            "WRES1",
            "wres",
            "Ethnicity by pay band",
            "The percentage of White, BME and Unknown staff in each pay band (1 to 9 and VSM), for clinical and "
            "non-clinical staff separately, compared with the whole workforce. Staff in post on the last day of the "
            "year; bank staff left out.",
            "share",
            "neutral",
        ),
        Measure(
            "WRES2",
            "wres",
            "Appointment from shortlisting, White relative to BME applicants",
            "The likelihood of White applicants being appointed from shortlisting divided by the same likelihood for "
            "BME applicants, for shortlisting decisions dated in the year.",
            "likelihood",
            "parity",
            LIKELIHOOD_READING,
        ),
        Measure(
            "WRES3",
            "wres",
            "Entering the formal disciplinary process, BME relative to White staff",
            "The likelihood of BME staff entering the formal disciplinary process divided by the likelihood for White "
            "staff, over two years: distinct staff with a case dated in each year, divided by the headcounts at the "
            "end of each year (pooled by default; the reading is a setting).",
            "likelihood",
            "parity",
            LIKELIHOOD_READING,
        ),
        Measure(
            "WRES4",
            "wres",
            "Access to non-mandatory training, White relative to BME staff",
            "The share of White staff in post with at least one non-mandatory training or CPD record dated in the "
            "year, divided by the same share for BME staff. People, not courses.",
            "likelihood",
            "parity",
            LIKELIHOOD_READING,
        ),
        Measure(
            "WRES5",
            "wres",
            "Harassment, bullying or abuse from patients, relatives or the public",
            "Staff survey: the percentage of staff experiencing harassment, bullying or abuse from patients, relatives "
            "or the public in the last 12 months, White and BME.",
            "survey",
            "lower",
        ),
        Measure(
            "WRES6",
            "wres",
            "Harassment, bullying or abuse from staff",
            "Staff survey: the percentage of staff experiencing harassment, bullying or abuse from staff in the last "
            "12 months, White and BME.",
            "survey",
            "lower",
        ),
        Measure(
            "WRES7",
            "wres",
            "Belief in equal opportunities for career progression",
            "Staff survey: the percentage of staff believing the organisation provides equal opportunities for "
            "career progression or promotion, White and BME.",
            "survey",
            "higher",
        ),
        Measure(
            "WRES8",
            "wres",
            "Discrimination from a manager or colleague",
            "Staff survey: the percentage of staff who personally experienced discrimination at work from a manager, "
            "team leader or other colleague in the last 12 months, White and BME.",
            "survey",
            "lower",
        ),
        Measure(
            "WRES9",
            "wres",
            "BME board membership compared with the workforce",
            "The BME percentage of board members in post on the last day of the year minus the BME percentage of the "
            "workforce, in percentage points: for voting members, executive members and all members.",
            "gap",
            "parity",
            "Below 0 means BME people are under-represented on the board compared with the workforce.",
        ),
        Measure(
            "WDES1",
            "wdes",
            "Disability by pay cluster",
            "The percentage of Disabled, non-disabled and Unknown staff in each cluster (1: bands up to 4, 2: bands 5 "
            "to 7, 3: bands 8a and 8b, 4: bands 8c to 9 and VSM, and medical), clinical and non-clinical, compared "
            "with the workforce.",
            "share",
            "neutral",
        ),
        Measure(
            "WDES2",
            "wdes",
            "Appointment from shortlisting, non-disabled relative to Disabled applicants",
            "The likelihood of non-disabled applicants being appointed from shortlisting divided by the likelihood "
            "for Disabled applicants.",
            "likelihood",
            "parity",
            LIKELIHOOD_READING,
        ),
        Measure(
            "WDES3",
            "wdes",
            "Entering the formal capability process, Disabled relative to non-disabled staff",
            "The likelihood of Disabled staff entering the formal capability process on grounds of performance (not "
            "ill health) divided by the likelihood for non-disabled staff, over two years as WRES3.",
            "likelihood",
            "parity",
            LIKELIHOOD_READING,
        ),
        *[
            Measure(code, "wdes", title, f"Staff survey: {definition}, Disabled and non-disabled staff.", "survey", b)
            for code, title, definition, b in [
                ("WDES4a", "Harassment from the public", "harassment, bullying or abuse from the public", "lower"),
                ("WDES4b", "Harassment from managers", "harassment, bullying or abuse from managers", "lower"),
                ("WDES4c", "Harassment from colleagues", "harassment, bullying or abuse from colleagues", "lower"),
                ("WDES4d", "Reporting harassment", "the last experience of harassment was reported", "higher"),
                ("WDES5", "Equal opportunities for progression", "belief in equal opportunities", "higher"),
                ("WDES6", "Pressure to work when unwell", "felt pressure to come to work when unwell", "lower"),
                ("WDES7", "Feeling valued", "satisfaction with how far the organisation values their work", "higher"),
                ("WDES8", "Reasonable adjustments", "the employer has made adequate adjustments", "higher"),
                ("WDES9a", "Staff engagement", "the staff engagement score (0 to 10)", "higher"),
            ]
        ],
        Measure(
            "WDES10",
            "wdes",
            "Disabled board membership compared with the workforce",
            "The Disabled percentage of board members minus the Disabled percentage of the workforce, in percentage "
            "points: voting, executive and all members.",
            "gap",
            "parity",
            "Below 0 means Disabled people are under-represented on the board compared with the workforce.",
        ),
    ]
}


def measure_get(code: str) -> Measure | None:
    """A measure by code; fairness monitors register their own (equality/monitors.py)."""
    if code in MEASURES:
        return MEASURES[code]
    from carelead.equality.monitors import MONITORS

    monitor = MONITORS.get(code)
    return monitor.measure if monitor else None


def all_measures() -> list[Measure]:
    from carelead.equality.monitors import MONITORS

    return [*MEASURES.values(), *(m.measure for m in MONITORS.values())]
