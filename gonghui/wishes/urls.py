from django.urls import path

from gonghui.wishes.views import portal, work

app_name = "wishes"
urlpatterns = [
    path("wishes/", portal.wall, name="wall"),
    path("wishes/<int:pk>/claim/", portal.claim, name="claim"),
    path("wishes/donor/", portal.donor, name="donor"),
    path("wishes/mine/", portal.mine, name="mine"),
    path("wishes/mine/<int:pk>/received/", portal.receive, name="receive"),
    path("wishes/certificates/<int:pk>/", portal.certificate, name="certificate"),
    path("work/wishes/", work.wish_list, name="wish_list"),
    path("work/wishes/donors/", work.donor_list, name="donor_list"),
    path("work/wishes/donors/<int:pk>/decide/", work.donor_decide, name="donor_decide"),
    path("work/wishes/matching/", work.matching, name="matching"),
    path("work/wishes/<int:pk>/", work.wish_detail, name="wish_detail"),
    path("work/wishes/<int:pk>/publish/", work.publish, name="publish"),
    path("work/wishes/<int:pk>/reject/", work.reject, name="reject"),
    path("work/wishes/<int:pk>/deliver/", work.deliver, name="deliver"),
]
