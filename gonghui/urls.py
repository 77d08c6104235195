from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from gonghui.api import api
from gonghui.members.views import portal
from gonghui.orgs.views import work as orgs_work

portal_patterns = ([path("", portal.home, name="home")], "portal")
work_patterns = ([path("work/", orgs_work.dashboard, name="dashboard")], "work")
orgs_patterns = (
    [
        path("work/orgs/", orgs_work.tree, name="tree"),
        path("work/orgs/<int:pk>/", orgs_work.organization_detail, name="organization_detail"),
        path("work/orgs/<int:pk>/edit/", orgs_work.organization_edit, name="organization_edit"),
        path("work/orgs/<int:parent_pk>/new/", orgs_work.organization_create, name="organization_create"),
        path("work/enterprises/", orgs_work.enterprise_list, name="enterprise_list"),
        path("work/enterprises/new/", orgs_work.enterprise_create, name="enterprise_create"),
        path("work/enterprises/<int:pk>/", orgs_work.enterprise_detail, name="enterprise_detail"),
        path("work/enterprises/<int:pk>/edit/", orgs_work.enterprise_edit, name="enterprise_edit"),
        path("work/coverage/", orgs_work.coverage_list, name="coverage_list"),
        path("work/coverage/<int:pk>/remove/", orgs_work.coverage_remove, name="coverage_remove"),
        path("work/export/<str:what>/", orgs_work.export, name="export"),
    ],
    "orgs",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("", include(work_patterns)),
    path("", include(orgs_patterns)),
    path("", include("gonghui.accounts.urls")),
    path("", include("gonghui.hall.urls")),
    path("", include("gonghui.hardship.urls")),
    path("", include("gonghui.members.urls")),
    path("", include("gonghui.wishes.urls")),
    path("", include("gonghui.organizing.urls")),
    path("", include("gonghui.monitoring.urls")),
    path("", include("gonghui.employment.urls")),
    path("", include("gonghui.core.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
