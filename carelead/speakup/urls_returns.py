from django.urls import path

from carelead.speakup import views_returns

app_name = "speakup_returns"
urlpatterns = [
    path("", views_returns.return_view, name="return"),
    path("download/", views_returns.download_view, name="download"),
    path("trends/", views_returns.trends_view, name="trends"),
]
