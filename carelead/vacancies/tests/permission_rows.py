"""Permission-table rows for the vacancy and matching pages (merged into tests/test_permissions.py)."""

from carelead.vacancies.tests.permission_rows_matching import ROWS as MATCHING
from carelead.vacancies.tests.permission_rows_vacancies import ROWS as VACANCIES

ROWS = {**VACANCIES, **MATCHING}
