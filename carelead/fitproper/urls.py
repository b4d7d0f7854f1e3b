from django.urls import path

from carelead.fitproper import views

app_name = "fitproper"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("start/", views.start_view, name="start"),
    path("submit/", views.submit_view, name="submit"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv_view, name="dashboard_csv"),
    path("references/", views.references_view, name="references"),
    path("references/<int:member>/", views.reference_view, name="reference"),
    path("references/<int:member>/write/", views.reference_write_view, name="reference_write"),
    path("evidence/<int:pk>/", views.evidence_view, name="evidence"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/attestation/", views.attestation_view, name="attestation"),
    path("<int:pk>/sign-off/", views.sign_off_view, name="sign_off"),
    path("<int:pk>/checks/<slug:kind>/", views.check_view, name="check"),
]
