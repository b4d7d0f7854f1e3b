from django.urls import path

from carelead.equality import views

app_name = "equality"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("measures/", views.measure_index, name="measures"),
    path("measures/<str:code>/", views.measure_detail, name="measure"),
    path("fairness/", views.fairness, name="fairness"),
    path("compare/", views.compare, name="compare"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/download/", views.evidence_download, name="evidence_download"),
]
