"""Every import KIND of the contract, by name."""

from carelead.appraisals.importers import AppraisalHistoryImport
from carelead.boards.importers import BoardMembersImport
from carelead.core.importing import ImportKind
from carelead.equality.importers import (
    CapabilityImport,
    DisciplinaryImport,
    RecruitmentImport,
    SurveyImport,
)
from carelead.learning.importers import TrainingImport
from carelead.organisations.importers import OrganisationsImport
from carelead.people.importers import StaffImport

KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        OrganisationsImport(),
        StaffImport(),
        BoardMembersImport(),
        RecruitmentImport(),
        TrainingImport(),
        DisciplinaryImport(),
        CapabilityImport(),
        SurveyImport(),
        AppraisalHistoryImport(),
    )
}


def kind_get(name: str) -> ImportKind:
    """The import kind called name; KeyError if there is none."""
    return KINDS[name]
