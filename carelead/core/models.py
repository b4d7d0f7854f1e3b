"""Abstract bases shared by the apps."""

from django.core.exceptions import PermissionDenied
from django.db import models


class TimeStampedModel(models.Model):
    """Records when a row was first written and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes refused: the rows are history (the database's triggers refuse them too)."""

    def update(self, **kwargs):
        raise PermissionDenied(f"{self.model.append_only_noun} cannot be changed.")

    def delete(self):
        raise PermissionDenied(f"{self.model.append_only_noun} cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A row written once and never changed or deleted through the application: audit entries, progress logs,
    feedback answers, calibration adjustments. ``append_only_noun`` names the rows in refusals."""

    append_only_noun = "These records"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and not kwargs.get("force_insert"):
            raise PermissionDenied(f"{self.append_only_noun} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(f"{self.append_only_noun} cannot be deleted.")
