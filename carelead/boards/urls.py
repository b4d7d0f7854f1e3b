from django.urls import path

from carelead.boards import views, views_committees

app_name = "boards"
urlpatterns = [
    path("", views.board_term_endings_view, name="endings"),
    path("download/", views.board_term_endings_download_view, name="endings_download"),
    path("own/", views.board_own_view, name="own"),
    path("members/<int:pk>/", views.board_member_view, name="member"),
    path("members/<int:pk>/term/", views.board_term_new_view, name="term_new"),
    path("members/<int:pk>/review/", views.board_review_new_view, name="review_new"),
    path("members/<int:pk>/end/", views.board_seat_end_view, name="seat_end"),
    path("committees/<int:pk>/", views_committees.committee_view, name="committee"),
    path("committees/<int:pk>/close/", views_committees.committee_close_view, name="committee_close"),
    path("committees/<int:pk>/members/new/", views_committees.committee_member_new_view, name="committee_member_new"),
    path("committee-places/<int:pk>/end/", views_committees.committee_place_end_view, name="committee_place_end"),
    path("<str:code>/committees/new/", views_committees.committee_new_view, name="committee_new"),
    path("<str:code>/", views.board_view, name="board"),
]
