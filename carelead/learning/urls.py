from django.urls import path

from carelead.learning import views

app_name = "learning"
urlpatterns = [path("", views.provider_home, name="provider")]
