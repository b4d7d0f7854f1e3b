"""Users sign in with their email address and act through scoped role assignments."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from carelead.accounts.roles import ROLE_SCOPES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. Linked to their staff record when they have one."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    person = models.OneToOneField(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use Django's own admin site (operators only).")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignment(models.Model):
    """A role held by a user over a scope: an organisation (and everything under it) or, when empty, England."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text="Leave empty for national scope.",
    )
    is_active = models.BooleanField(default=True)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="unique_role_assignment"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(organisation__isnull=True), name="unique_national_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return self.organisation.name if self.organisation_id else "England"

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    def clean(self) -> None:
        allowed = ROLE_SCOPES[self.role]
        scope_type = self.organisation.type if self.organisation_id else None
        if scope_type not in allowed:
            where = "nationally" if scope_type is None else f"at a {self.organisation.get_type_display().lower()}"
            raise ValidationError({"organisation": f"The {self.get_role_display()} role cannot be granted {where}."})
