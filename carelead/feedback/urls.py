from django.urls import path

from carelead.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_mine, name="mine"),
    path("new/", views.feedback_create_view, name="new"),
    path("team/", views.feedback_team, name="team"),
    path("response-rates/", views.feedback_rates_view, name="rates"),
    path("rules/", views.feedback_rules_view, name="rules"),
    path("answer/", views.feedback_answer_view, name="answer"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("<int:pk>/raters/", views.feedback_raters_view, name="raters"),
    path("<int:pk>/raters/<int:rater_pk>/remove/", views.feedback_rater_remove_view, name="rater_remove"),
    path("<int:pk>/submit/", views.feedback_submit_view, name="submit"),
    path("<int:pk>/approve/", views.feedback_approve_view, name="approve"),
    path("<int:pk>/close/", views.feedback_close_view, name="close"),
    path("<int:pk>/my-view/", views.feedback_self_answer_view, name="self_answer"),
]
