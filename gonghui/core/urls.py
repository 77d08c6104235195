from django.urls import path

from gonghui.core import views

app_name = "core"
urlpatterns = [
    path("work/audit/", views.audit_list, name="audit_list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("files/<uuid:pk>/", views.file_download, name="file_download"),
]
