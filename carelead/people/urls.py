from django.urls import path

from carelead.people import views, views_subject_access

app_name = "people"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/equality-monitoring/", views.me_monitoring, name="me_monitoring"),
    path("team/", views.team, name="team"),
    path("", views.search, name="search"),
    path("<str:staff_id>/subject-access/", views_subject_access.subject_access_page, name="subject_access"),
    path(
        "<str:staff_id>/subject-access.json",
        views_subject_access.subject_access_download,
        name="subject_access_download",
    ),
    path("<str:staff_id>/", views.detail, name="detail"),
]
