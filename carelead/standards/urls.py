from django.urls import path

from carelead.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.framework_index, name="list"),
    path("curriculum/", views.curriculum, name="curriculum"),
    path("my-development/", views.my_development, name="my_development"),
    path("upload/", views.framework_upload, name="upload"),
    path("<str:code>/compare/", views.framework_versions_compare, name="compare"),
    path("<str:code>/<int:version>/", views.framework_detail, name="framework"),
    path("<str:code>/<int:version>/framework.json", views.framework_export, name="export"),
    path("<str:code>/<int:version>/publish/", views.framework_publish_view, name="publish"),
    path("<str:code>/<int:version>/new-version/", views.framework_new_version_view, name="new_version"),
]
