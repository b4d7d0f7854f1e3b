from django.urls import path

from carelead.standards import programme_views as views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_home, name="home"),
    path("support/", views.programme_support, name="support"),
    path("cohorts/", views.cohort_index, name="cohorts"),
    path("cohorts/<str:code>/", views.cohort_detail, name="cohort"),
    path("<str:code>/apply/", views.programme_apply, name="apply"),
]
