from django.urls import path

from carelead.talent import views, views_ninebox, views_pools

app_name = "talent"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    # The 9-box.
    path("ninebox/", views_ninebox.ninebox_view, name="ninebox"),
    path("ninebox/<str:staff_id>/", views_ninebox.ninebox_person_view, name="ninebox_person"),
    # Regional talent pools.
    path("pools/", views_pools.pools_view, name="pools"),
    path("pools/new/", views_pools.pool_new_view, name="pool_new"),
    path("pools/queue/", views_pools.pool_queue_view, name="pool_queue"),
    path("pools/mine/", views_pools.pools_mine_view, name="pools_mine"),
    path("pools/nominate/", views_pools.nominate_view, name="nominate"),
    path("pools/nominations/", views_pools.nominations_view, name="nominations"),
    path("pools/memberships/<int:pk>/", views_pools.membership_view, name="membership"),
    path("pools/<int:pk>/", views_pools.pool_view, name="pool"),
    path("pools/<int:pk>/ninebox/", views_ninebox.pool_ninebox_view, name="pool_ninebox"),
]
