"""The audit log: append-only, written explicitly by services."""

from django.conf import settings
from django.db import models

from carelead.core.models import AppendOnlyModel


class AuditLog(AppendOnlyModel):
    """One audited action: who (a user or a named system job), what, to which object, when, and what changed."""

    append_only_noun = "Audit records"

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        BULK_CREATE = "bulk_create", "Created in bulk"
        BULK_UPDATE = "bulk_update", "Updated in bulk"
        VIEW_SPECIAL = "view_special", "Viewed special-category data"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        SIGN_IN_LOCKED = "sign_in_locked", "Sign-in refused: locked out"
        TWO_FACTOR_PASSED = "two_factor_passed", "Gave a two-factor code"
        TWO_FACTOR_FAILED = "two_factor_failed", "Wrong two-factor code"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Set up two-factor sign-in"
        RECOVERY_CODES_NEW = "recovery_codes_new", "Made new recovery codes"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor sign-in"
        SIGN_OUT = "sign_out", "Signed out"
        SWITCH_ROLE = "switch_role", "Switched role"
        GRANT = "grant", "Granted a role"
        REVOKE = "revoke", "Revoked a role"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="The user's email, or system:<job> for system actors")
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    # Whom the record is about, so a person can see who looked at their data.
    subject_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    # The organisation the record belongs to, so organisation admins see their own audit trail.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_person", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["organisation", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"
