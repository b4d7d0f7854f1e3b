from django.urls import path

from carelead.nedpool import views

app_name = "nedpool"
urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("register/done/", views.registered_view, name="registered"),
    path("candidates/", views.candidates_view, name="candidates"),
    path("candidates/<int:pk>/", views.candidate_view, name="candidate"),
    path("candidates/<int:pk>/assess/", views.candidate_assess_view, name="assess"),
    path("candidates/<int:pk>/erase/", views.candidate_erase_view, name="erase"),
    path("candidates/<int:pk>/placements/new/", views.placement_new_view, name="placement_new"),
    path("candidates/<int:pk>/programme/new/", views.enrolment_new_view, name="enrolment_new"),
    path("placements/", views.placements_view, name="placements"),
    path("placements/<int:pk>/", views.placement_edit_view, name="placement_edit"),
    path("programme/", views.enrolments_view, name="enrolments"),
    path("programme/<int:pk>/", views.enrolment_edit_view, name="enrolment_edit"),
]
