from django.urls import path

from carelead.actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("", views.action_plan, name="list"),
    path("summary/", views.action_plan_summary, name="summary"),
    path("download/", views.action_plan_download, name="download"),
    path("new/", views.action_create_view, name="create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit_view, name="edit"),
]
