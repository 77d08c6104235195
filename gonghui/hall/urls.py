from django.urls import path

from gonghui.hall.views import portal, work

app_name = "hall"
urlpatterns = [
    path("hall/", portal.catalogue, name="catalogue"),
    path("hall/services/<slug:code>/", portal.service_detail, name="service_detail"),
    path("hall/mine/", portal.my_requests, name="my_requests"),
    path("hall/mine/<str:reference>/", portal.my_request, name="my_request"),
    path("hall/mine/<str:reference>/action/", portal.my_request_action, name="my_request_action"),
    path("hall/mine/<str:reference>/attach/", portal.my_request_attach, name="my_request_attach"),
    path("hall/mine/<str:reference>/rate/", portal.my_request_rate, name="my_request_rate"),
    path("work/hall/", work.inbox, name="inbox"),
    path("work/hall/assign/", work.bulk_assign, name="bulk_assign"),
    path("work/hall/new/", work.walk_in, name="walk_in"),
    path("work/hall/ratings/", work.ratings, name="ratings"),
    path("work/hall/ratings/<int:pk>/step/", work.rectification_step, name="rectification_step"),
    path("work/hall/stats/", work.statistics, name="statistics"),
    path("work/hall/catalogue/", work.catalogue, name="work_catalogue"),
    path("work/hall/<str:reference>/", work.request_detail, name="request_detail"),
    path("work/hall/<str:reference>/action/", work.request_action, name="request_action"),
    path("work/hall/<str:reference>/attach/", work.request_attach, name="request_attach"),
]
