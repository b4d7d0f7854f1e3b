"""Permission-table rows kept beside the people app (merged into tests/test_permissions.py); the staff record
pages themselves are in the project table."""

from carelead.people.tests.permission_rows_subject_access import ROWS as SUBJECT_ACCESS

ROWS = {**SUBJECT_ACCESS}
