"""Board members of trusts, ICBs and other organisations."""

from django.db import models

from carelead.core.choices import BoardRole, Disability, Sex
from carelead.core.models import TimeStampedModel


class BoardMember(TimeStampedModel):
    """A seat held on an organisation's board, for one term of office."""

    member_id = models.CharField(max_length=32, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="board_members"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=BoardRole.choices)
    voting = models.BooleanField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="board_seats"
    )

    class Meta:
        ordering = ["organisation", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_role_display()} ({self.member_id})"


class BoardMemberMonitoring(models.Model):
    """Special-category data of a board member, held apart like staff equality monitoring."""

    member = models.OneToOneField(BoardMember, on_delete=models.CASCADE, primary_key=True, related_name="monitoring")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnic_category = models.CharField(max_length=2, blank=True)
    disability = models.CharField(max_length=1, choices=Disability.choices, default=Disability.UNKNOWN)

    def __str__(self) -> str:
        return f"Monitoring for board member {self.member_id}"
