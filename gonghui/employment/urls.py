from django.urls import path

from gonghui.employment.views import employer, portal, work

app_name = "employment"
urlpatterns = [
    path("jobs/", portal.jobs, name="jobs"),
    path("jobs/match/", portal.quick_match, name="match"),
    path("jobs/profile/", portal.profile, name="profile"),
    path("jobs/applications/", portal.applications, name="applications"),
    path("jobs/applications/<int:pk>/withdraw/", portal.withdraw, name="withdraw"),
    path("jobs/fairs/", portal.fair_list, name="fairs"),
    path("jobs/fairs/<int:pk>/", portal.fair, name="fair"),
    path("jobs/fairs/<int:pk>/register/", portal.fair_register, name="fair_register"),
    path("jobs/fairs/<int:pk>/ticket.svg", portal.ticket, name="ticket"),
    path("jobs/<int:pk>/", portal.posting, name="posting"),
    path("jobs/<int:pk>/apply/", portal.apply, name="apply"),
    path("employer/", employer.home, name="employer"),
    path("employer/postings/new/", employer.posting_new, name="employer_posting_new"),
    path("employer/postings/<int:pk>/", employer.posting_detail, name="employer_posting"),
    path("employer/postings/<int:pk>/edit/", employer.posting_edit, name="employer_posting_edit"),
    path("employer/postings/<int:pk>/close/", employer.posting_close, name="employer_posting_close"),
    path("employer/applications/<int:pk>/move/", employer.move, name="employer_move"),
    path("employer/seekers/<int:pk>/contact/", employer.contact, name="employer_contact"),
    path("work/employment/", work.dashboard, name="dashboard"),
    path("work/employment/employers/", work.employer_list, name="employer_list"),
    path("work/employment/employers/<int:pk>/decide/", work.employer_decide, name="employer_decide"),
    path("work/employment/postings/", work.posting_list, name="posting_list"),
    path("work/employment/postings/<int:pk>/", work.posting_review, name="posting_review"),
    path("work/employment/postings/<int:pk>/decide/", work.posting_decide, name="posting_decide"),
    path("work/employment/seekers/", work.seeker_list, name="seeker_list"),
    path("work/employment/fairs/", work.fair_list, name="fair_list"),
    path("work/employment/fairs/<int:pk>/", work.fair_detail, name="fair_detail"),
    path("work/employment/fairs/<int:pk>/booths/", work.fair_booth, name="fair_booth"),
    path("work/employment/fairs/<int:pk>/checkin/", work.fair_checkin, name="fair_checkin"),
    path("work/employment/exchange/", work.exchange_page, name="exchange"),
]
