from django.urls import path

from carelead.standards import accreditation, development, exceptions, prior_learning, views

app_name = "standards"
urlpatterns = [
    path("", views.framework_index, name="list"),
    path("curriculum/", views.curriculum, name="curriculum"),
    path("my-development/", views.my_development, name="my_development"),
    path("team/", development.team_development, name="team"),
    path("compliance/", development.compliance, name="compliance"),
    path("upload/", views.framework_upload, name="upload"),
    path("providers/", accreditation.providers, name="providers"),
    path("accreditations/<int:pk>/status/", accreditation.accreditation_status, name="accreditation_status"),
    path("exceptions/", exceptions.exception_index, name="exceptions"),
    path("induction/", exceptions.induction_dashboard, name="induction"),
    path("prior-learning/", prior_learning.prior_learning_index, name="prior_learning"),
    path("prior-learning/apply/", prior_learning.prior_learning_new, name="prior_learning_new"),
    path("prior-learning/<int:pk>/", prior_learning.prior_learning_decide, name="prior_learning_decide"),
    path("exceptions/<int:pk>/decide/", exceptions.exception_decide_view, name="exception_decide"),
    path("people/<str:staff_id>/level/", exceptions.person_change_level_view, name="change_level"),
    path("people/<str:staff_id>/exception/", exceptions.exception_new, name="exception_new"),
    path("<str:code>/compare/", views.framework_versions_compare, name="compare"),
    path("<str:code>/<int:version>/", views.framework_detail, name="framework"),
    path("<str:code>/<int:version>/framework.json", views.framework_export, name="export"),
    path("<str:code>/<int:version>/publish/", views.framework_publish_view, name="publish"),
    path("<str:code>/<int:version>/replace/", accreditation.draft_replace, name="draft_replace"),
    path("<str:code>/<int:version>/delete/", accreditation.draft_delete, name="draft_delete"),
    path("<str:code>/<int:version>/new-version/", views.framework_new_version_view, name="new_version"),
]
