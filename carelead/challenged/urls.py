from django.urls import path

from carelead.challenged import views

app_name = "challenged"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation"),
    path("organisations/<str:code>/status/", views.status_new, name="status_new"),
    path("vacancies/<int:pk>/package/", views.package_propose, name="package_propose"),
    path("packages/<int:pk>/decide/", views.package_decide, name="package_decide"),
]
