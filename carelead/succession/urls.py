from django.urls import path

from carelead.succession import views

app_name = "succession"
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_new_view, name="new"),
    path("senior-roles/", views.plan_defaults_view, name="defaults"),
    path("regional/", views.risk_view, name="regional"),
    path("regional/download/", views.risk_download_view, name="regional_download"),
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("<int:pk>/change/", views.plan_edit_view, name="edit"),
    path("<int:pk>/candidates/add/", views.candidate_add_view, name="candidate_add"),
    path("<int:pk>/candidates/<int:candidate_pk>/", views.candidate_edit_view, name="candidate_edit"),
    path("<int:pk>/candidates/<int:candidate_pk>/remove/", views.candidate_remove_view, name="candidate_remove"),
    path("<int:pk>/candidates/<int:candidate_pk>/move/", views.candidate_move_view, name="candidate_move"),
    path(
        "<int:pk>/candidates/<int:candidate_pk>/emergency/",
        views.candidate_emergency_view,
        name="candidate_emergency",
    ),
]
