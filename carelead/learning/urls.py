from django.urls import path

from carelead.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.provider_home, name="provider"),
    path("modules/<str:module_code>/", views.offering_edit, name="offering"),
]

credential_patterns = (
    [
        path("verify/", views.credential_verify_page, name="verify"),
        path("issuer", views.credential_issuer, name="issuer"),
        path("mine/<str:record_id>/", views.credential_download, name="download"),
    ],
    "credentials",
)
