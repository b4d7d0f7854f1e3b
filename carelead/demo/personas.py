"""One demo login per persona (personas.md), with passwords and authenticator secrets derived from the load's seed."""

import base64
import hashlib
import random
from dataclasses import asdict, dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import RoleAssignment, User
from carelead.accounts.roles import Role
from carelead.accounts.twofactor import TOTP_DEVICE_NAME, user_needs_two_factor
from carelead.demo.names import NAME_GROUPS, PASSWORD_WORDS
from carelead.organisations.models import Organisation
from carelead.people.models import Person

# The order logins are printed and written in.
PERSONAS = (
    Role.STAFF,
    Role.LINE_MANAGER,
    Role.ORG_HR,
    Role.ORG_ADMIN,
    Role.REGIONAL_TALENT,
    Role.NED_TEAM,
    Role.PROVIDER,
    Role.REGULATOR,
    Role.GUARDIAN,
    Role.NATIONAL_ADMIN,
)
LANDING = "/"


@dataclass(frozen=True)
class Login:
    """What a person needs to sign in as one persona."""

    persona: str
    username: str
    password: str
    landing: str = LANDING
    totp_secret: str | None = None

    def as_dict(self) -> dict:
        """The object written to --logins-json."""
        return asdict(self)


@dataclass(frozen=True)
class PersonaScopes:
    """Where the personas work: the demo trust, its region, the training provider, two of its staff."""

    trust: Organisation
    region: Organisation
    provider: Organisation
    line_manager: Person
    staff: Person


def persona_emails(*, trust_code: str, region_code: str, provider_code: str) -> dict[str, str]:
    """Sign-in addresses of the personas that are not linked to a staff record."""
    trust, region, provider = trust_code.lower(), region_code.lower(), provider_code.lower()
    return {
        Role.ORG_HR: f"hr.lead@{trust}.nhs.example",
        Role.ORG_ADMIN: f"systems.admin@{trust}.nhs.example",
        Role.REGIONAL_TALENT: f"talent.lead@{region}.england.nhs.example",
        Role.NED_TEAM: "ned.appointments@england.nhs.example",
        Role.PROVIDER: f"courses@{provider}.example",
        Role.REGULATOR: "equality.inspector@regulator.example",
        Role.GUARDIAN: f"speak.up@{trust}.nhs.example",
        Role.NATIONAL_ADMIN: "platform.admin@england.nhs.example",
    }


def demo_password(*, rng: random.Random) -> str:
    """Three everyday words and two digits: strong enough for a demo, easy to type."""
    words = rng.sample(PASSWORD_WORDS, 3)
    return f"{'-'.join(words)}-{rng.randint(10, 99)}"


def demo_totp_key(*, seed: int, persona: str) -> bytes:
    """A persona's authenticator secret (20 bytes), derived from the seed so that every load gives the same one.

    Hashed rather than drawn from the personas' random sequence, so the passwords stay those of earlier loads.
    """
    return hashlib.sha256(f"carelead-demo:{seed}:totp:{persona}".encode()).digest()[:20]


def personas_create(*, seed: int, scopes: PersonaScopes) -> list[Login]:
    """Create a user and a role assignment for every persona; returns their logins in PERSONAS order."""
    rng = random.Random(f"carelead-demo:{seed}:personas")
    emails = persona_emails(
        trust_code=scopes.trust.code, region_code=scopes.region.code, provider_code=scopes.provider.code
    )
    emails[Role.STAFF] = scopes.staff.email
    emails[Role.LINE_MANAGER] = scopes.line_manager.email
    scope_of = {
        Role.STAFF: scopes.trust,
        Role.LINE_MANAGER: scopes.trust,
        Role.ORG_HR: scopes.trust,
        Role.ORG_ADMIN: scopes.trust,
        Role.GUARDIAN: scopes.trust,
        Role.REGIONAL_TALENT: scopes.region,
        Role.PROVIDER: scopes.provider,
        Role.NED_TEAM: None,
        Role.REGULATOR: None,
        Role.NATIONAL_ADMIN: None,
    }
    person_of = {Role.STAFF: scopes.staff, Role.LINE_MANAGER: scopes.line_manager}
    groups = sorted(NAME_GROUPS)
    logins = []
    for persona in PERSONAS:
        person = person_of.get(persona)
        if person is not None:
            full_name = person.full_name
        else:
            female, male, surnames = NAME_GROUPS[rng.choice(groups)]
            full_name = f"{rng.choice(female + male)} {rng.choice(surnames)}"
        password = demo_password(rng=rng)
        user = User(email=emails[persona].lower(), full_name=full_name, person=person)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        assignment = RoleAssignment(user=user, role=persona, organisation=scope_of[persona])
        assignment.full_clean()
        assignment.save()
        secret = None
        if user_needs_two_factor(user=user, roles=[persona]):
            # Set up already, as if the persona had scanned the QR code: the secret is in the logins.
            key = demo_totp_key(seed=seed, persona=persona)
            TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key.hex(), confirmed=True)
            secret = base64.b32encode(key).decode("ascii")
        logins.append(Login(persona=str(persona), username=user.email, password=password, totp_secret=secret))
    return logins
