"""The organisation tree of a demo load, planned before any person is generated."""

import math
import random
import string
from dataclasses import dataclass, field

from carelead.demo import catalogue as cat
from carelead.demo.names import CARE_HOME_NOUNS, CARE_HOME_WORDS, PLACE_PREFIXES, PLACE_SUFFIXES


@dataclass(frozen=True)
class SizeSpec:
    """How big a demo load is: which regions, how many organisations, how many staff."""

    regions: tuple[str, ...]
    icbs: int | None  # per region; None means the real number of ICBs in each region
    trusts: int | None  # per region; None means the region's trust count in catalogue.REGIONS
    providers: int  # care providers in total
    staff: int  # people in total, leavers included
    icb_staff: bool
    fixed_trust_staff: int | None = None


SIZES: dict[str, SizeSpec] = {
    "tiny": SizeSpec(regions=("Y59",), icbs=1, trusts=1, providers=2, staff=0, icb_staff=False, fixed_trust_staff=500),
    "region": SizeSpec(regions=("Y59",), icbs=6, trusts=30, providers=200, staff=150_000, icb_staff=True),
    "national": SizeSpec(
        regions=tuple(r[0] for r in cat.REGIONS),
        icbs=None,
        trusts=None,
        providers=1_500,
        staff=1_500_000,
        icb_staff=True,
    ),
}

TRUST_KINDS = {"acute": 62, "mental_health": 20, "community": 8, "specialist": 10}
TRUST_SIZE_FACTOR = {
    "acute": 1.5,
    "mental_health": 0.75,
    "community": 0.55,
    "ambulance": 0.9,
    "specialist": 0.5,
}
SEGMENTS_TRUST = {1: 12, 2: 36, 3: 32, 4: 13, 5: 7}
SEGMENTS_ICB = {1: 15, 2: 40, 3: 30, 4: 10, 5: 5}
CQC_TRUST = {"outstanding": 8, "good": 50, "requires_improvement": 35, "inadequate": 7}
CQC_PROVIDER = {"outstanding": 4, "good": 75, "requires_improvement": 16, "inadequate": 3, "": 2}


@dataclass
class OrgPlan:
    """One organisation to create, with what its workforce generator needs to know."""

    code: str
    name: str
    type: str
    sector: str
    kind: str  # workforce kind: acute, mental_health, community, ambulance, specialist, icb, care, or none
    parent: "OrgPlan | None" = None
    oversight_segment: int | None = None
    cqc_rating: str = ""
    staff: int = 0
    bme_share: float = 0.0
    nurses: bool = False
    persona: bool = False
    # How far outcomes differ between groups (catalogue gaps times this: 0 parity, 1 typical, 2 marked) and the
    # share of that difference closed each year after the first, where an organisation is improving.
    disparity: float = 1.0
    narrowing: float = 0.0
    id: int = 0
    first_staff_number: int = 0
    children: list["OrgPlan"] = field(default_factory=list)

    @property
    def challenged(self) -> bool:
        """In the Recovery Support Programme segment or rated inadequate (the default settings)."""
        return self.oversight_segment == 5 or self.cqc_rating == "inadequate"

    def gap(self, year: int) -> float:
        """The disparity factor in the year-th financial year of catalogue.PERIODS (0 is the first)."""
        return self.disparity * max(0.0, 1.0 - self.narrowing * year)

    @property
    def region(self) -> "OrgPlan | None":
        """The NHS England region above this organisation (or itself)."""
        node = self
        while node is not None and node.type != "region":
            node = node.parent
        return node


def _weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _split(total: int, parts: int, rng: random.Random, minimum: int = 0) -> list[int]:
    """Split total into parts of random size (largest remainder), each at least minimum."""
    if parts <= 0:
        return []
    spare = total - minimum * parts
    weights = [0.5 + rng.random() for _ in range(parts)]
    scale = spare / sum(weights)
    raw = [w * scale for w in weights]
    sizes = [math.floor(x) for x in raw]
    order = sorted(range(parts), key=lambda i: raw[i] - sizes[i], reverse=True)
    for i in order[: spare - sum(sizes)]:
        sizes[i] += 1
    return [s + minimum for s in sizes]


class _Names:
    """Fictional place names and unique organisation codes, drawn without replacement."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = [p + s for p in PLACE_PREFIXES for s in PLACE_SUFFIXES]
        rng.shuffle(self.places)
        self.codes: set[str] = {cat.NATIONAL[0], cat.TRAINING_PROVIDER[0]} | {r[0] for r in cat.REGIONS}

    def place(self) -> str:
        # More places than any size needs; fall back to numbered names rather than fail.
        return self.places.pop() if self.places else f"District {len(self.codes)}"

    def code(self, prefix: str, alphabet: str, length: int) -> str:
        while True:
            code = prefix + "".join(self.rng.choice(alphabet) for _ in range(length))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def trust_name(self, kind: str) -> str:
        a, b = self.place(), None
        patterns = {
            "acute": (
                "{a} Hospitals NHS Foundation Trust",
                "{a} and {b} University Hospitals NHS Trust",
                "{a} Teaching Hospitals NHS Foundation Trust",
                "University Hospitals of {a} NHS Trust",
            ),
            "mental_health": (
                "{a} Partnership NHS Foundation Trust",
                "{a} and {b} Mental Health NHS Trust",
                "{a} Healthcare NHS Foundation Trust",
            ),
            "community": ("{a} Community Health Services NHS Trust", "{a} Community Healthcare NHS Trust"),
            "ambulance": ("{a} and {b} Ambulance Service NHS Trust",),
            "specialist": (
                "The Royal {a} Hospital NHS Foundation Trust",
                "{a} Children's Hospital NHS Foundation Trust",
                "{a} Orthopaedic Hospital NHS Foundation Trust",
                "{a} Cancer Centre NHS Foundation Trust",
            ),
        }[kind]
        pattern = self.rng.choice(patterns)
        if "{b}" in pattern:
            b = self.place()
        return pattern.format(a=a, b=b)


def organisation_plan(*, size: str, seed: int) -> list[OrgPlan]:
    """Every organisation of a demo load, parents before children, with staff numbers assigned."""
    spec = SIZES[size]
    rng = random.Random(f"carelead-demo:{seed}:organisations")
    names = _Names(rng)
    national = OrgPlan(code=cat.NATIONAL[0], name=cat.NATIONAL[1], type="national", sector="nhs", kind="none")
    provider = OrgPlan(
        code=cat.TRAINING_PROVIDER[0],
        name=cat.TRAINING_PROVIDER[1],
        type="other",
        sector="nhs",
        kind="none",
        parent=national,
    )
    orgs = [national, provider]
    trusts: list[OrgPlan] = []
    icbs: list[OrgPlan] = []
    providers: list[OrgPlan] = []
    regions = [r for r in cat.REGIONS if r[0] in spec.regions]
    all_icbs = sum(spec.icbs or r[2] for r in regions)
    provider_counts = iter(_split(spec.providers, all_icbs, rng, minimum=1))
    for code, name, real_icbs, real_trusts, bme in regions:
        region = OrgPlan(code=code, name=name, type="region", sector="nhs", kind="none", parent=national)
        orgs.append(region)
        n_icbs = spec.icbs or real_icbs
        n_trusts = spec.trusts or real_trusts
        trusts_per_icb = _split(n_trusts, n_icbs, rng, minimum=1)
        region_trusts = []
        for i in range(n_icbs):
            place_a, place_b = names.place(), names.place()
            icb = OrgPlan(
                code=names.code("Q", string.ascii_uppercase, 2),
                name=f"NHS {place_a} and {place_b} Integrated Care Board",
                type="icb",
                sector="nhs",
                kind="icb",
                parent=region,
                oversight_segment=_weighted(rng, SEGMENTS_ICB),
                bme_share=_around(rng, bme),
                staff=rng.randint(250, 650) if spec.icb_staff else 0,
            )
            orgs.append(icb)
            icbs.append(icb)
            for j in range(trusts_per_icb[i]):
                # Each region has one ambulance trust (when it has more than one trust).
                first = not trusts and j == 0
                if n_trusts > 1 and i == n_icbs - 1 and j == trusts_per_icb[i] - 1:
                    kind = "ambulance"
                else:
                    kind = "acute" if first else _weighted(rng, TRUST_KINDS)
                segment = _weighted(rng, SEGMENTS_TRUST)
                cqc = _weighted(rng, CQC_TRUST)
                if segment == 5 and rng.random() < 0.6:
                    cqc = rng.choice(("requires_improvement", "inadequate"))
                trust = OrgPlan(
                    code=names.code("R", string.ascii_uppercase + string.digits, 2),
                    name=names.trust_name(kind),
                    type="trust",
                    sector="nhs",
                    kind=kind,
                    parent=icb,
                    oversight_segment=segment,
                    cqc_rating=cqc,
                    bme_share=_around(rng, bme),
                    persona=first,
                )
                if first:
                    # The personas' trust is an ordinary acute trust, neither challenged nor outstanding.
                    trust.oversight_segment, trust.cqc_rating = 2, "good"
                orgs.append(trust)
                trusts.append(trust)
                region_trusts.append(trust)
            for _ in range(next(provider_counts)):
                providers.append(_care_provider(rng, names, icb, bme))
                orgs.append(providers[-1])
        # Some organisations in every region are challenged (Recovery Support Programme or rated inadequate).
        if len(region_trusts) >= 3 and not any(t.challenged for t in region_trusts):
            region_trusts[2].oversight_segment = 5
    if spec.fixed_trust_staff is not None:
        for trust in trusts:
            trust.staff = spec.fixed_trust_staff
        for care in providers:
            care.staff = rng.randint(12, 40)
        if providers and not any(p.challenged for p in providers):
            providers[-1].cqc_rating = "inadequate"
    else:
        for care in providers:
            care.staff = min(250, max(6, round(rng.lognormvariate(math.log(28), 0.6))))
        remaining = spec.staff - sum(o.staff for o in icbs) - sum(o.staff for o in providers)
        weights = [TRUST_SIZE_FACTOR[t.kind] * rng.lognormvariate(0, 0.4) for t in trusts]
        weights[0] = TRUST_SIZE_FACTOR["acute"]
        scale = remaining / sum(weights)
        for trust, weight in zip(trusts, weights, strict=True):
            trust.staff = max(800, round(weight * scale))
    number = 0
    for org in orgs:
        if org.parent is not None:
            org.parent.children.append(org)
        org.first_staff_number = number
        number += org.staff
    _disparities(orgs, trusts, seed)
    return orgs


def _disparities(orgs: list[OrgPlan], trusts: list[OrgPlan], seed: int) -> None:
    """Give every organisation its disparity factor and, for some, a gap that narrows year by year.

    About 15% are at parity, 10% have marked disparities (about twice the typical gap) and the rest are near
    typical. Each organisation draws from its own stream, so its factor does not depend on the size of the load.
    """
    for org in orgs:
        if org.type not in ("trust", "icb", "care_provider"):
            continue
        rng = random.Random(f"carelead-demo:{seed}:{org.code}:disparity")
        r = rng.random()
        if r < 0.15:
            org.disparity = 0.0
        elif r < 0.25:
            org.disparity = 1.8 + 0.4 * rng.random()
        else:
            org.disparity = 0.7 + 0.6 * rng.random()
        if org.disparity and rng.random() < 0.3:
            org.narrowing = 0.1 + 0.06 * rng.random()
    # The personas' trust is typical and improving, so its trend charts show gaps closing.
    for org in trusts:
        if org.persona:
            org.disparity, org.narrowing = 1.0, 0.12
    # Every region of several trusts has a trust at parity and one with marked disparities to compare.
    by_region: dict[str, list[OrgPlan]] = {}
    for trust in trusts:
        if not trust.persona:
            by_region.setdefault(trust.region.code, []).append(trust)
    for mine in by_region.values():
        if len(mine) < 5:
            continue
        if not any(t.disparity == 0 for t in mine):
            mine[0].disparity, mine[0].narrowing = 0.0, 0.0
        if not any(t.disparity >= 1.8 for t in mine):
            mine[1].disparity, mine[1].narrowing = 2.0, 0.0


def _around(rng: random.Random, share: float) -> float:
    return min(0.85, max(0.04, share * (0.7 + 0.6 * rng.random())))


def _care_provider(rng: random.Random, names: _Names, icb: OrgPlan, bme: float) -> OrgPlan:
    kinds = cat.CARE_SERVICE_KINDS
    pattern, _, nurses = rng.choices(kinds, weights=[k[1] for k in kinds])[0]
    place = icb.name.removeprefix("NHS ").split(" and ")[0]
    name = pattern.format(word=rng.choice(CARE_HOME_WORDS), noun=rng.choice(CARE_HOME_NOUNS), place=place)
    return OrgPlan(
        code=names.code("V", string.ascii_uppercase + string.digits, 4),
        name=name,
        type="care_provider",
        sector="social_care",
        kind="care",
        parent=icb,
        cqc_rating=_weighted(rng, CQC_PROVIDER),
        bme_share=_around(rng, bme * 0.9),
        nurses=nurses,
    )
