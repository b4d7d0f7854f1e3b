from django.urls import path

from carelead.boardappraisals import views

app_name = "boardappraisals"
urlpatterns = [
    path("", views.board_appraisal_list_view, name="list"),
    path("start/", views.board_appraisal_start_view, name="start"),
    path("completion/", views.board_appraisal_completion_view, name="completion"),
    path("mine/", views.board_appraisal_mine_view, name="mine"),
    path("<int:pk>/", views.board_appraisal_detail_view, name="detail"),
    path("<int:pk>/move/", views.board_appraisal_move_view, name="move"),
    path("<int:pk>/sign-off/", views.board_appraisal_sign_off_view, name="sign_off"),
    path("<int:pk>/<slug:section>/", views.board_appraisal_section_view, name="section"),
]
