"""URL patterns of the vacancy pages (included by carelead/vacancies/urls.py)."""

from django.urls import path

from carelead.vacancies import views

urlpatterns: list = [
    path("", views.vacancy_list, name="list"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    path("<int:pk>/apply/", views.vacancy_apply, name="apply"),
    path("applications/", views.my_applications, name="mine"),
    path("applications/<int:pk>/", views.my_application, name="my_application"),
    path("routes/", views.routes, name="routes"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.vacancy_create_view, name="create"),
    path("manage/<int:pk>/", views.vacancy_manage, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.vacancy_edit, name="edit"),
    path("manage/<int:pk>/status/", views.vacancy_status, name="status"),
    path("manage/<int:pk>/invite/", views.vacancy_invite, name="invite"),
    path("manage/applications/<int:pk>/", views.application_manage, name="application"),
]
