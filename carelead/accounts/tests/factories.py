import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.middleware import session_mark_signed_in
from carelead.accounts.models import RoleAssignment, User
from carelead.accounts.twofactor import TOTP_DEVICE_NAME, user_needs_two_factor

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "staff"
    organisation = None


def totp_device(user, *, key: str | None = None) -> TOTPDevice:
    """The user's confirmed authenticator app, made (with ``key``, hex, if given) when they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=True, **({"key": key} if key else {})
        )
    return device


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` periods later: a code not used yet)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def client_signed_in(client, user, *, second_factor: bool = True) -> None:
    """Make a test client's session look like one that went through the whole sign-in: its time limits start now
    and, for a user who needs two-factor sign-in, the second factor has been given (with an app made for them)."""
    session = client.session
    session_mark_signed_in(session)
    if second_factor and user_needs_two_factor(user=user):
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
