from django.urls import path

from gonghui.hardship.views import portal, work

app_name = "hardship"
urlpatterns = [
    path("hardship/self-test/", portal.self_test, name="self_test"),
    path("hardship/apply/", portal.apply, name="apply"),
    path("hardship/mine/", portal.my_file, name="my_file"),
    path("work/hardship/", work.dashboard, name="dashboard"),
    path("work/hardship/files/", work.file_list, name="file_list"),
    path("work/hardship/files/<int:pk>/", work.file_detail, name="file_detail"),
    path("work/hardship/files/<int:pk>/income/", work.record_income, name="record_income"),
    path("work/hardship/files/<int:pk>/pay/", work.pay, name="pay"),
    path("work/hardship/files/<int:pk>/exit/", work.exit_file, name="exit_file"),
    path("work/hardship/files/<int:pk>/safety-net/", work.safety_net, name="safety_net"),
    path("work/hardship/files/<int:pk>/reopen/", work.reopen, name="reopen"),
    path("work/hardship/files/<int:pk>/refer/", work.refer, name="refer"),
    path("work/hardship/referrals/<int:pk>/outcome/", work.referral_outcome, name="referral_outcome"),
    path("work/hardship/applications/<int:pk>/visit/", work.record_visit, name="record_visit"),
    path("work/hardship/budgets/", work.budget_list, name="budget_list"),
    path("work/hardship/apply/", work.apply_on_behalf, name="apply_on_behalf"),
]
