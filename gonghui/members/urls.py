from django.urls import path

from gonghui.members.views import work

app_name = "members"
urlpatterns = [
    path("work/members/", work.member_list, name="member_list"),
    path("work/members/export/", work.member_export, name="member_export"),
    path("work/members/<int:pk>/", work.member_detail, name="member_detail"),
    path("work/members/<int:pk>/reveal/", work.member_reveal, name="member_reveal"),
    path("work/members/imports/", work.import_list, name="import_list"),
    path("work/members/imports/template/", work.import_template, name="import_template"),
    path("work/members/imports/<int:pk>/", work.import_detail, name="import_detail"),
    path("work/members/imports/<int:pk>/commit/", work.import_commit, name="import_commit"),
]
