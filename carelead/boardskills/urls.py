from django.urls import path

from carelead.boardskills import views

app_name = "boardskills"
urlpatterns = [
    path("", views.board_skills_own_view, name="own"),
    path("gaps/", views.board_skill_gaps_view, name="gaps"),
    path("gaps/download/", views.board_skill_gaps_download_view, name="gaps_download"),
    path("members/<int:pk>/", views.board_skills_member_view, name="member"),
    path("<str:code>/", views.board_skills_view, name="board"),
    path("<str:code>/requirements/", views.board_requirements_view, name="requirements"),
]
