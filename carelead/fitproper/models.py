"""Models (see the app docstring)."""

from django.db import models  # noqa: F401
