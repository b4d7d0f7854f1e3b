from django.urls import path

from carelead.equality import views

app_name = "equality"
urlpatterns = [path("", views.dashboard, name="dashboard")]
