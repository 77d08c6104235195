from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The workbench menu: (url name, label, permission). Domain apps add their entries here.
WORKBENCH_MENU = [
    ("work:dashboard", _("Dashboard"), "dashboard.view"),
    ("hall:inbox", _("Service hall inbox"), "hall.handle"),
    ("hall:work_catalogue", _("Service catalogue"), "hall.view"),
    ("hall:ratings", _("Ratings"), "hall.view"),
    ("hall:statistics", _("Hall statistics"), "hall.view"),
    ("hardship:dashboard", _("Hardship assistance"), "hardship.view"),
    ("hardship:file_list", _("Hardship files"), "hardship.view"),
    ("hardship:budget_list", _("Budget lines"), "hardship.view"),
    ("wishes:wish_list", _("Wishes"), "wishes.manage"),
    ("employment:dashboard", _("Employment"), "employment.view"),
    ("employment:posting_list", _("Job postings"), "employment.review"),
    ("employment:employer_list", _("Employers"), "employment.review"),
    ("employment:fair_list", _("Job fairs"), "employment.manage"),
    ("employment:exchange", _("Employment data exchange"), "employment.manage"),
    ("members:member_list", _("Members"), "members.view"),
    ("organizing:transfer_list", _("Membership transfers"), "members.manage"),
    ("organizing:dashboard", _("Membership and establishment"), "members.view"),
    ("organizing:targets", _("Targets"), "members.view"),
    ("organizing:establishment_backlog", _("Establishment backlog"), "organizing.establish"),
    ("organizing:establishment_case_list", _("Establishment cases"), "organizing.establish"),
    ("members:import_list", _("Roster import"), "members.import"),
    ("monitoring:dashboard", _("Opinion monitoring"), "monitoring.view"),
    ("monitoring:warning_dashboard", _("Early warnings"), "monitoring.view"),
    ("monitoring:brief_list", _("Monitoring briefs"), "monitoring.view"),
    ("monitoring:task_list", _("Commentator tasks"), "monitoring.comment"),
    ("orgs:tree", _("Organisations"), "orgs.view"),
    ("orgs:enterprise_list", _("Enterprises"), "enterprises.view"),
    ("orgs:coverage_list", _("Coverage"), "orgs.view"),
    ("accounts:role_list", _("Staff roles"), "accounts.manage"),
    ("accounts:token_list", _("API tokens"), "security.manage"),
    ("accounts:lockout_list", _("Lock-outs"), "security.manage"),
    ("core:audit_list", _("Audit log"), "audit.view"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "has_gonghui_perm"):
        return {"workbench_menu": [], "is_staff_member": False}
    menu = [
        {"url": reverse(name), "label": label, "active": False}
        for name, label, perm in WORKBENCH_MENU
        if user.has_gonghui_perm(perm)
    ]
    # The entry whose address is the longest prefix of the page's is the current one.
    matching = [item for item in menu if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"workbench_menu": menu, "is_staff_member": user.is_staff_member}
