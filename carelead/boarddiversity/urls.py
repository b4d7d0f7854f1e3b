from django.urls import path

from carelead.boarddiversity import views

app_name = "boarddiversity"
urlpatterns = [
    path("", views.board_diversity_overview_view, name="overview"),
    path("<str:code>/", views.board_diversity_view, name="board"),
    path("<str:code>/reference/", views.population_reference_view, name="reference"),
]
