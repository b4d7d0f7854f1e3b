"""URL patterns (included by carelead/vacancies/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
