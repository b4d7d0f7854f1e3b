from django.urls import path

from carelead.appraisals import views

app_name = "appraisals"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("cycles/", views.cycles, name="cycles"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/export/", views.cycle_export, name="cycle_export"),
    path("calibration/<int:pk>/", views.calibration, name="calibration"),
    path("template/", views.template, name="template"),
    path("completion/", views.completion, name="completion"),
]
