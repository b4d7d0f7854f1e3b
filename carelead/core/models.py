"""Abstract bases shared by the apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Records when a row was first written and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True
