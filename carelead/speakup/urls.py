from django.urls import path

from carelead.speakup import views

app_name = "speakup"
urlpatterns = [
    path("", views.start_view, name="start"),
    path("raise/", views.raise_view, name="raise"),
    path("follow/", views.follow_view, name="follow"),
    path("follow/case/", views.follow_case_view, name="follow_case"),
    path("follow/case/files/<int:pk>/", views.follow_attachment_view, name="follow_attachment"),
    path("follow/leave/", views.follow_leave_view, name="follow_leave"),
    path("cases/", views.cases_view, name="cases"),
    path("cases/<int:pk>/", views.case_view, name="case"),
    path("cases/<int:pk>/triage/", views.case_triage_view, name="case_triage"),
    path("cases/<int:pk>/notes/", views.case_note_view, name="case_note"),
    path("cases/<int:pk>/reply/", views.case_reply_view, name="case_reply"),
    path("cases/<int:pk>/escalate/", views.case_escalate_view, name="case_escalate"),
    path("cases/<int:pk>/feedback/", views.case_feedback_view, name="case_feedback"),
    path("cases/<int:pk>/close/", views.case_close_view, name="case_close"),
    path("cases/<int:pk>/identity/", views.case_identity_view, name="case_identity"),
    path("cases/<int:pk>/reveal/", views.case_reveal_view, name="case_reveal"),
    path("cases/<int:pk>/files/<int:attachment_pk>/", views.case_attachment_view, name="case_attachment"),
]
