from django.urls import path

from carelead.nedcampaigns import views

app_name = "nedcampaigns"
urlpatterns = [
    path("", views.campaign_list_view, name="list"),
    path("new/", views.campaign_new_view, name="new"),
    path("<int:pk>/", views.campaign_detail_view, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit_view, name="edit"),
    path("<int:pk>/open/", views.campaign_open_view, name="open"),
    path("<int:pk>/longlist/", views.campaign_longlist_view, name="longlist"),
    path("<int:pk>/candidates/<int:entry>/decide/", views.decision_view, name="decide"),
    path("<int:pk>/candidates/<int:entry>/appoint/", views.appoint_view, name="appoint"),
    path("<int:pk>/end/", views.campaign_end_view, name="end"),
    path("<int:pk>/fairness/", views.campaign_fairness_view, name="fairness"),
]
