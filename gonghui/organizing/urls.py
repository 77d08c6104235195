from django.urls import path

from gonghui.organizing.views import dashboard, establishment, portal, work

app_name = "organizing"
urlpatterns = [
    path("join/", portal.join, name="join"),
    path("me/card/", portal.my_card, name="my_card"),
    path("me/card/revoke/", portal.revoke_my_card, name="revoke_my_card"),
    path("me/transfer/", portal.my_transfer, name="my_transfer"),
    path("me/transfer/<int:pk>/cancel/", portal.cancel_my_transfer, name="cancel_my_transfer"),
    path("verify/<str:token>/", portal.verify, name="verify"),
    path("work/orgs/<int:pk>/join-qr/", work.join_qr, name="join_qr"),
    path("work/transfers/", work.transfer_list, name="transfer_list"),
    path("work/transfers/<int:pk>/confirm/", work.transfer_confirm, name="transfer_confirm"),
    path("work/transfers/<int:pk>/refuse/", work.transfer_refuse, name="transfer_refuse"),
    path("work/memberships/<int:pk>/", work.membership_detail, name="membership_detail"),
    path("work/memberships/<int:pk>/<str:action>/", work.membership_action, name="membership_action"),
    # Establishment (组建), targets and the membership dashboard.
    path("work/organizing/", dashboard.dashboard, name="dashboard"),
    path("work/organizing/targets/", dashboard.targets, name="targets"),
    path("work/organizing/targets/<int:pk>/delete/", dashboard.target_delete, name="target_delete"),
    path("work/organizing/backlog/", establishment.backlog, name="establishment_backlog"),
    path("work/organizing/backlog/export/", establishment.backlog_export, name="establishment_backlog_export"),
    path("work/organizing/cases/", establishment.case_list, name="establishment_case_list"),
    path("work/organizing/cases/new/", establishment.case_new, name="establishment_case_new"),
    path("work/organizing/cases/<int:pk>/", establishment.case_detail, name="establishment_case_detail"),
    path("work/organizing/cases/<int:pk>/members/", establishment.member_add, name="establishment_member_add"),
    path("work/organizing/cases/<int:pk>/members/<int:member_pk>/remove/", establishment.member_remove,
         name="establishment_member_remove"),
    path("work/organizing/cases/<int:pk>/election/", establishment.election, name="establishment_election"),
    path("work/organizing/cases/<int:pk>/approve/", establishment.approve, name="establishment_approve"),
    path("work/organizing/cases/<int:pk>/return/", establishment.return_case, name="establishment_return"),
    path("work/organizing/cases/<int:pk>/abandon/", establishment.abandon, name="establishment_abandon"),
]
