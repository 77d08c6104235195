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

def _alice_request(w):
    from gonghui.hall.models import ServiceRequest

    return ServiceRequest.objects.filter(applicant=w.users["alice"]).order_by("id").first()


def _bad_rating(w):
    from gonghui.hall import services
    from gonghui.hall.models import ServiceRequest, ServiceType

    service = ServiceType.objects.get(code="general-consultation")
    r, _ = services.submit_request(actor=w.users["alice"], service_type=service, summary="x",
                                   idempotency_key="scope-bad")
    services.transition(actor=w.users["union_a1"], request=r, name="reject", note="no")
    services.rate(actor=w.users["alice"], request=ServiceRequest.objects.get(pk=r.pk), score=1, comment="bad")
    return ServiceRequest.objects.get(pk=r.pk).rating.rectification


HALL = [
    Case("hall:catalogue", inside=None),
    Case("hall:service_detail", inside="alice", kwargs=lambda w: {"code": "general-consultation"}, public=True),
    Case("hall:my_requests", inside="bob", must_not_contain=lambda w: _alice_request(w).reference),
    Case("hall:my_request", inside="alice", outside="bob", kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("hall:my_request", inside="alice", outside="union_a1",
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("hall:my_request_action", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"reference": _alice_request(w).reference}, data=lambda w: {"action": "withdraw"}),
    Case("hall:my_request_attach", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("hall:my_request_rate", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"reference": _alice_request(w).reference}, data=lambda w: {"score": "5"}),
    Case("hall:inbox", inside="district_b", query="?tab=all",
         must_not_contain=lambda w: _alice_request(w).reference),
    Case("hall:bulk_assign", inside="union_a1", method="post", inside_status=(302,),
         data=lambda w: {"requests": [_alice_request(w).pk], "assignee": w.users["union_a1"].pk}),
    Case("hall:walk_in", inside="union_a1"),
    Case("hall:ratings", inside="district_b", query="?show=all",
         must_not_contain=lambda w: _alice_request(w).reference),
    Case("hall:rectification_step", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _bad_rating(w).pk}, data=lambda w: {"text": "checked"}),
    Case("hall:statistics", inside="district_b", must_not_contain=lambda w: w.orgs["union_a1"].name),
    Case("hall:work_catalogue", inside="union_a1"),
    Case("hall:request_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("hall:request_action", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"reference": _alice_request(w).reference}, data=lambda w: {"action": "accept"}),
    Case("hall:request_attach", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
]
WEB += HALL


def _alice_file(w):
    from datetime import date

    from gonghui.hall import services as hall
    from gonghui.hardship import services
    from gonghui.hardship.models import HardshipFile
    from gonghui.orgs.models import Region

    existing = HardshipFile.objects.filter(person__user=w.users["alice"]).first()
    if existing:
        return existing
    request, _ = services.apply(actor=w.users["alice"], region=Region.objects.get(code="310115"),
                                members=[{"name": "李爱丽", "relation": "self", "annual_income": "12000"}],
                                facts={"housing": "rent", "cause": "illness"}, narrative="x",
                                idempotency_key="scope-hardship")
    hall.transition(actor=w.users["union_a1"], request=request, name="accept")
    services.record_home_visit(actor=w.users["union_a1"], application=request.hardship,
                               visited_on=date(2026, 11, 1), visitors="王", findings="属实")
    hall.transition(actor=w.users["union_a1"], request=request, name="verify")
    hall.transition(actor=w.users["district_a"], request=request, name="approve")
    return HardshipFile.objects.get(person__user=w.users["alice"])


def _alice_application(w):
    from gonghui.hardship import services
    from gonghui.orgs.models import Region

    request, _ = services.apply(actor=w.users["alice"], region=Region.objects.get(code="310115"),
                                members=[{"name": "李爱丽", "relation": "self", "annual_income": "12000"}],
                                facts={"housing": "rent", "cause": "illness"}, narrative="x",
                                idempotency_key="scope-app")
    return request.hardship


def _referral(w):
    from gonghui.hardship import services

    return services.refer(actor=w.users["union_a1"], file=_alice_file(w), agency="charity", note="x")


HARDSHIP = [
    Case("hardship:self_test", inside=None),
    Case("hardship:apply", inside="alice"),
    Case("hardship:my_file", inside="bob", must_not_contain=lambda w: _alice_file(w).owner_organization.name),
    Case("hardship:dashboard", inside="district_b"),
    Case("hardship:file_list", inside="district_b", must_not_contain=lambda w: "李*丽" if _alice_file(w) else ""),
    Case("hardship:file_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:record_income", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:pay", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:exit_file", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:safety_net", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:reopen", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:refer", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_file(w).pk}),
    Case("hardship:referral_outcome", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _referral(w).pk}),
    Case("hardship:record_visit", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_application(w).pk}),
    Case("hardship:budget_list", inside="district_b", must_not_contain=lambda w: w.orgs["union_a1"].name),
    Case("hardship:apply_on_behalf", inside="union_a1"),
]
WEB += HARDSHIP


def _wish(w, state="published"):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.wishes import services
    from gonghui.wishes.models import Donor, Wish

    _alice_file(w)
    wish = Wish.objects.filter(person__user=w.users["alice"]).first() or services.post_wish(
        actor=w.users["alice"], category="study", description="想要一套数学辅导练习册", amount=Decimal("100"))
    if state == "submitted":
        return wish
    if wish.status == "submitted":
        wish = services.publish_wish(actor=w.users["union_a1"], wish=wish, public_title="书", public_text="")
    if state == "published":
        return wish
    donor = Donor.objects.filter(user=w.users["bob"]).first() or services.register_donor(
        actor=w.users["bob"], kind="person", name="王")
    Donor.objects.filter(pk=donor.pk).update(status="approved")
    if wish.status == "published":
        wish = services.claim(actor=w.users["bob"], wish=wish)
    if state == "claimed":
        return wish
    if wish.status == "claimed":
        wish = services.confirm_delivery(actor=w.users["union_a1"], wish=wish, photo=SimpleUploadedFile(
            "p.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png"))
    if state == "delivered":
        return wish
    return services.confirm_receipt(actor=w.users["alice"], wish=wish)


def _donor_of(w, user="carol"):
    from gonghui.wishes import services
    from gonghui.wishes.models import Donor

    return Donor.objects.filter(user=w.users[user]).first() or services.register_donor(
        actor=w.users[user], kind="person", name="陈")


WISHES = [
    Case("wishes:wall", inside=None),
    Case("wishes:claim", inside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": (_donor_of(w, "bob"), _wish(w))[1].pk}),
    Case("wishes:donor", inside="carol"),
    Case("wishes:mine", inside="bob", must_not_contain=lambda w: _wish(w, "submitted").description),
    Case("wishes:receive", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _wish(w, "delivered").pk}),
    Case("wishes:certificate", inside="bob", outside="carol", kwargs=lambda w: {"pk": _wish(w, "received").pk}),
    Case("wishes:wish_list", inside="district_b", must_not_contain=lambda w: "李*丽" if _wish(w, "submitted") else ""),
    Case("wishes:wish_detail", inside="union_a1", outside="district_b", kwargs=lambda w: {"pk": _wish(w).pk}),
    Case("wishes:publish", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _wish(w, "submitted").pk}, data=lambda w: {"public_title": "书"}),
    Case("wishes:reject", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _wish(w, "submitted").pk}, data=lambda w: {"reason": "x"}),
    Case("wishes:deliver", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _wish(w, "claimed").pk}),
    Case("wishes:donor_list", inside="city"),
    Case("wishes:donor_decide", inside="city", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _donor_of(w).pk}, data=lambda w: {"decision": "approve"}),
    Case("wishes:matching", inside="union_a1"),
]
WEB += WISHES

WEB_EXEMPT = [
    Exempt("accounts:lockout_clear", "lock-outs are per (login, address), not org-owned; security.manage only "
           "(tested in accounts/tests/test_auth.py)"),
    Exempt("accounts:oidc_start", "sign-in redirect to the city portal; no data (accounts/tests/test_oidc.py)"),
    Exempt("accounts:oidc_callback", "sign-in callback; no data (accounts/tests/test_oidc.py)"),
    Exempt("set_language", "Django's language switch; no data"),
    Exempt("javascript-catalog", "translation catalogue; no data"),
]

API_HALL = [
    Case("GET /api/v1/hall/catalogue", inside=None),
    Case("GET /api/v1/hall/requests", inside="district_b", must_not_contain=lambda w: _alice_request(w).reference),
    Case("GET /api/v1/hall/requests/{reference}", inside="alice", outside="bob",
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("GET /api/v1/hall/requests/{reference}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"reference": _alice_request(w).reference}),
    Case("POST /api/v1/hall/requests", inside="carol", inside_status=(201,),
         data=lambda w: {"service_code": "general-consultation", "summary": "咨询"}),
    Case("POST /api/v1/hall/requests/{reference}/transitions", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"reference": _fresh_request(w).reference}, data=lambda w: {"action": "accept"}),
    Case("POST /api/v1/hall/requests/{reference}/rating", inside="alice", outside="bob", inside_status=(201,),
         kwargs=lambda w: {"reference": _closed_unrated(w).reference}, data=lambda w: {"score": 4}),
]


def _fresh_request(w):
    from gonghui.hall import services
    from gonghui.hall.models import ServiceType

    service = ServiceType.objects.get(code="general-consultation")
    return services.submit_request(actor=w.users["alice"], service_type=service, summary="z",
                                   idempotency_key="scope-fresh")[0]


def _closed_unrated(w):
    from gonghui.hall import services
    from gonghui.hall.models import ServiceType

    service = ServiceType.objects.get(code="general-consultation")
    r, _ = services.submit_request(actor=w.users["alice"], service_type=service, summary="y",
                                   idempotency_key="scope-closed")
    services.transition(actor=w.users["union_a1"], request=r, name="reject", note="no")
    return r


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
API += API_HALL
