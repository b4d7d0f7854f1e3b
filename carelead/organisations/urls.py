from django.urls import path

from carelead.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("<str:code>/", views.organisation_detail, name="detail"),
]
