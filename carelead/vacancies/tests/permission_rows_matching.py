"""Permission-table rows (merged through permission_rows.py)."""

ROWS: dict = {}
