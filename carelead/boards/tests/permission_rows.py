"""Permission-table rows for this app's pages (merged into tests/test_permissions.py)."""

ROWS: dict = {}
