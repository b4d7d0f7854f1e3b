from django.urls import path

from carelead.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/equality-monitoring/", views.me_monitoring, name="me_monitoring"),
    path("team/", views.team, name="team"),
    path("", views.search, name="search"),
    path("<str:staff_id>/", views.detail, name="detail"),
]
