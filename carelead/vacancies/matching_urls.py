"""URL patterns of the matching pages (included by carelead/vacancies/urls.py)."""

from django.urls import path

from carelead.vacancies import matching_views

urlpatterns: list = [
    path("<int:pk>/match/", matching_views.match, name="match"),
    path("<int:pk>/match/invite/", matching_views.invite, name="match_invite"),
]
