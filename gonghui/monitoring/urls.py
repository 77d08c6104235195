from django.urls import path

from gonghui.monitoring.views import work

app_name = "monitoring"
urlpatterns = [
    path("work/monitoring/", work.dashboard, name="dashboard"),
    path("work/monitoring/posts/", work.post_list, name="post_list"),
    path("work/monitoring/posts/<int:pk>/", work.post_detail, name="post_detail"),
    path("work/monitoring/posts/<int:pk>/tasks/", work.task_create, name="task_create"),
    path("work/monitoring/sources/", work.source_list, name="source_list"),
    path("work/monitoring/sources/<int:pk>/pull/", work.source_pull, name="source_pull"),
    path("work/monitoring/sources/<int:pk>/upload/", work.upload, name="upload"),
    path("work/monitoring/schemes/", work.scheme_list, name="scheme_list"),
    path("work/monitoring/schemes/new/", work.scheme_new, name="scheme_new"),
    path("work/monitoring/schemes/<int:pk>/", work.scheme_detail, name="scheme_detail"),
    path("work/monitoring/alerts/", work.alert_list, name="alert_list"),
    path("work/monitoring/alerts/<int:pk>/ack/", work.alert_ack, name="alert_ack"),
    path("work/monitoring/alerts/<int:pk>/close/", work.alert_close, name="alert_close"),
    path("work/monitoring/warnings/", work.warning_dashboard, name="warning_dashboard"),
    path("work/monitoring/warnings/<int:pk>/action/", work.warning_action, name="warning_action"),
    path("work/monitoring/warnings/<int:pk>/outcome/", work.warning_outcome, name="warning_outcome"),
    path("work/monitoring/briefs/", work.brief_list, name="brief_list"),
    path("work/monitoring/briefs/<int:pk>/", work.brief_detail, name="brief_detail"),
    path("work/monitoring/briefs/<int:pk>/pdf/", work.brief_pdf, name="brief_pdf"),
    path("work/monitoring/tasks/", work.task_list, name="task_list"),
    path("work/monitoring/tasks/<int:pk>/complete/", work.task_complete, name="task_complete"),
]
