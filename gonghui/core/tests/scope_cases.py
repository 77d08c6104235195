"""The scope declarations for every web route and API operation of the platform."""

from gonghui.core.testing.scope import Case, Exempt


def _job_for(w, username):
    from gonghui.core.jobs import start_job

    return start_job(actor=w.users[username], kind="orgs.export_enterprises", params={})


def _file_in_a(w):
    from gonghui.core import files

    return files.save_private(actor=w.users["district_a"], organization=w.orgs["union_a1"], purpose="test",
                              name="visit.pdf", data=b"%PDF-1.4 test", content_type="application/pdf")


def _token_in_a(w):
    from gonghui.accounts.services import create_api_token

    token, _raw = create_api_token(actor=w.users["security"], name="HR bureau", organization=w.orgs["district_a"],
                                   permissions=["enterprises.view"], days=30)
    return token


def _new_uscc():
    from stdnum.cn import uscc

    return "91310115MA1K99999" + uscc.calc_check_digit("91310115MA1K99999")


WEB = [
    Case("portal:home", inside="alice"),
    Case("work:dashboard", inside="district_a"),
    Case("orgs:tree", inside="district_a", must_not_contain=lambda w: w.orgs["district_b"].name),
    Case("orgs:tree", inside="industry", query="?q=物流", must_not_contain=lambda w: w.orgs["union_a1"].name),
    Case("orgs:organization_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": w.orgs["union_a1"].pk}),
    Case("orgs:organization_detail", inside="industry", outside="union_a1",
         kwargs=lambda w: {"pk": w.orgs["union_a2"].pk}),
    Case("orgs:organization_edit", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": w.orgs["union_a1"].pk}),
    Case("orgs:organization_create", inside="district_a", outside="district_b",
         kwargs=lambda w: {"parent_pk": w.orgs["street_a"].pk}),
    Case("orgs:enterprise_list", inside="district_b", must_not_contain=lambda w: w.enterprises["a1"].name),
    Case("orgs:enterprise_list", inside="industry", must_not_contain=lambda w: w.enterprises["a1"].name),
    Case("orgs:enterprise_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": w.enterprises["a1"].pk}),
    Case("orgs:enterprise_detail", inside="industry", outside="district_b",
         kwargs=lambda w: {"pk": w.enterprises["a2"].pk}),
    Case("orgs:enterprise_edit", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"pk": w.enterprises["a1"].pk}),
    Case("orgs:enterprise_create", inside="district_a"),
    Case("orgs:coverage_list", inside="district_b", must_not_contain=lambda w: w.orgs["union_a2"].name),
    Case("orgs:coverage_remove", inside="city", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": w.orgs["industry"].coverages.get().pk}),
    Case("orgs:export", inside="district_a", method="post", inside_status=(302,),
         kwargs=lambda w: {"what": "enterprises"}),
    Case("core:audit_list", inside="auditor"),
    Case("core:job_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _job_for(w, "district_a").pk}),
    Case("core:file_download", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _file_in_a(w).pk}),
    Case("accounts:role_list", inside="district_b", must_not_contain=lambda w: w.users["union_a1"].display_name),
    Case("accounts:role_revoke", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": w.users["union_a1"].role_assignments.get().pk}),
    Case("accounts:token_list", inside="security"),
    Case("accounts:token_revoke", inside="security", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _token_in_a(w).pk}),
    Case("accounts:lockout_list", inside="security"),
    Case("accounts:login", inside=None),
    Case("accounts:sms", inside=None),
    Case("accounts:otp", inside="district_a", inside_status=(302,)),
    Case("accounts:logout", inside="alice", method="post", inside_status=(302,)),
]

WEB_EXEMPT = [
    Exempt("accounts:lockout_clear", "lock-outs are per (login, address), not org-owned; security.manage only "
           "(tested in accounts/tests/test_auth.py)"),
    Exempt("set_language", "Django's language switch; no data"),
    Exempt("javascript-catalog", "translation catalogue; no data"),
]

API = [
    Case("GET /api/v1/me", inside="alice"),
    Case("GET /api/v1/organizations", inside="district_b", must_not_contain=lambda w: w.orgs["union_a1"].name),
    Case("GET /api/v1/organizations/{org_id}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"org_id": w.orgs["union_a1"].pk}),
    Case("GET /api/v1/enterprises", inside="district_b", must_not_contain=lambda w: w.enterprises["a1"].name),
    Case("GET /api/v1/enterprises/{enterprise_id}", inside="industry", outside="district_b",
         kwargs=lambda w: {"enterprise_id": w.enterprises["a2"].pk}),
    Case("PATCH /api/v1/enterprises/{enterprise_id}", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"enterprise_id": w.enterprises["a1"].pk}, data=lambda w: {"headcount": 321}),
    Case("POST /api/v1/enterprises", inside="union_a1", outside="district_b", inside_status=(201,),
         data=lambda w: {"name": "上海测试新企业有限公司", "uscc": _new_uscc(),
                         "industry_id": "65", "size_class": "small", "ownership": "private", "headcount": 30,
                         "region_id": "310115", "owner_organization_id": w.orgs["union_a1"].pk}),
]
