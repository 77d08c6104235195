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
         kwargs=lambda w: {"pk": w.orgs["industry"].coverages.get(target_organization=w.orgs["union_a2"]).pk}),
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


# ---- membership: joining, e-cards, transfers (organizing) ----------------------------------------------------


def _carol_join(w):
    from gonghui.organizing import services
    from gonghui.orgs.models import Region

    data = {"name": "陈可乐", "id_number": "31011519950618004X", "mobile": "13800000003",
            "employment_form": "food_delivery", "platform": w.enterprises["platform"],
            "home_region": Region.objects.get(code="310115")}
    return services.apply_to_join(actor=w.users["carol"], data=data, idempotency_key="scope-join")[0]


def _alice_transfer(w):
    from gonghui.members import services
    from gonghui.members.models import Transfer

    existing = Transfer.objects.filter(membership__person__user=w.users["alice"], status="pending").first()
    return existing or services.request_transfer(actor=w.users["alice"], membership=_alice_membership(w),
                                                 to_union=w.orgs["union_a2"], reason="换工作")


def _card_token(w):
    from gonghui.members import services

    return services.card_token(services.live_card(_alice_membership(w)))


ORGANIZING = [
    Case("organizing:join", inside="carol"),
    Case("organizing:my_card", inside="alice"),
    Case("organizing:revoke_my_card", inside="alice", method="post", inside_status=(302,),
         data=lambda w: {"reason": "手机丢失"}),
    Case("organizing:my_transfer", inside="alice"),
    Case("organizing:cancel_my_transfer", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_transfer(w).pk}),
    Case("organizing:verify", inside=None, public=True, kwargs=lambda w: {"token": _card_token(w)}),
    Case("organizing:join_qr", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": w.orgs["union_a1"].pk}),
    Case("organizing:transfer_list", inside="district_b", query="?tab=all",
         must_not_contain=lambda w: _alice_transfer(w).membership.person.name),
    Case("organizing:transfer_confirm", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_transfer(w).pk}),
    Case("organizing:transfer_refuse", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_transfer(w).pk}, data=lambda w: {"reason": "不符合"}),
    Case("organizing:membership_detail", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"pk": _alice_membership(w).pk}),
    Case("organizing:membership_action", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _alice_membership(w).pk, "action": "retain"}, data=lambda w: {"reason": "退休"}),
]
WEB += ORGANIZING

API += [
    Case("POST /api/v1/join-applications", inside="carol", inside_status=(201,),
         data=lambda w: {"name": "陈可乐", "id_number": "31011519950618004X", "mobile": "13800000003",
                         "employment_form": "food_delivery", "platform_id": w.enterprises["platform"].pk,
                         "home_region": "310115"}),
    Case("GET /api/v1/join-applications", inside="district_b", must_not_contain=lambda w: _carol_join(w).reference),
    Case("GET /api/v1/cards/verify", inside=None, query=lambda w: f"?token={_card_token(w)}"),
    Case("GET /api/v1/transfers", inside="district_b", must_not_contain=lambda w: f'"id": {_alice_transfer(w).pk}'),
    Case("POST /api/v1/transfers", inside="alice", inside_status=(201,),
         data=lambda w: {"to_union_id": w.orgs["union_a2"].pk, "reason": "换工作"}),
    Case("POST /api/v1/transfers/{pk}/confirm", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"pk": _alice_transfer(w).pk}),
    Case("POST /api/v1/transfers/{pk}/refuse", inside="union_a1", outside="district_b",
         kwargs=lambda w: {"pk": _alice_transfer(w).pk}, data=lambda w: {"reason": "不符合"}),
]


# ---- monitoring: posts, schemes, alerts, warning cases, briefs, 网评员 tasks ---------------------------------


def _mon_source(w, kind="push"):
    from gonghui.monitoring.models import Source

    return Source.objects.get_or_create(code=f"scope-{kind}", defaults={
        "name": f"scope {kind}", "kind": kind, "owner_organization": w.orgs["district_a"],
        "url": "http://127.0.0.1:9/feed.xml" if kind == "feed" else ""})[0]


def _mon_post(w):
    from django.utils import timezone

    from gonghui.monitoring.models import Post, PostTag

    post, created = Post.objects.get_or_create(source=_mon_source(w), external_id="scope-1", defaults={
        "text": "浦江精密拖欠工资三个月，工人聚集讨薪。", "published_at": timezone.now(),
        "enterprise": w.enterprises["a1"], "owner_organization": w.orgs["union_a1"], "region_id": "310115",
        "categories": ["wage_arrears"], "severity": "orange", "sentiment": -0.8})
    if created:
        PostTag.objects.create(post=post, category="wage_arrears", enterprise=post.enterprise, region_id="310115",
                               owner_organization=post.owner_organization, published_at=post.published_at)
    return post


def _mon_scheme(w):
    from gonghui.monitoring.models import Scheme

    return Scheme.objects.get_or_create(name="浦江精密欠薪", owner_organization=w.orgs["district_a"], defaults={
        "subject_terms": ["浦江精密"], "event_terms": ["欠薪", "拖欠工资"], "created_by": w.users["district_a"]})[0]


def _mon_alert(w):
    from gonghui.monitoring.models import Alert

    post = _mon_post(w)
    alert = Alert.objects.filter(key="scope-alert").first()
    if alert is None:
        alert = Alert.objects.create(key="scope-alert", category="wage_arrears", enterprise=post.enterprise,
                                     region_id="310115", owner_organization=post.owner_organization,
                                     severity="orange", reason="浦江精密欠薪", post_count=1)
        alert.posts.add(post)
    return alert


def _mon_case(w):
    from django.db import transaction

    from gonghui.monitoring.warnings import open_warning

    alert = _mon_alert(w)
    if alert.warning_id is None:
        with transaction.atomic():
            open_warning(alert=alert)
    return alert.warning.warning_case


def _mon_brief(w):
    from gonghui.monitoring import briefs

    return briefs.generate(actor=None, organization=w.orgs["district_a"], kind="daily")[0]


def _mon_task(w):
    from datetime import timedelta

    from django.utils import timezone

    from gonghui.monitoring.models import CommentTask, CommentTeam

    team = CommentTeam.objects.get_or_create(name="浦东网评员", owner_organization=w.orgs["district_a"])[0]
    return CommentTask.objects.filter(team=team).first() or CommentTask.objects.create(
        post=_mon_post(w), kind="clarify", team=team, owner_organization=w.orgs["district_a"],
        due_at=timezone.now() + timedelta(hours=4), created_by=w.users["district_a"], instructions="核实情况")


MONITORING = [
    Case("monitoring:dashboard", inside="district_b", must_not_contain=lambda w: _mon_post(w).enterprise.name),
    Case("monitoring:post_list", inside="district_b", must_not_contain=lambda w: _mon_post(w).text[:10]),
    Case("monitoring:post_detail", inside="union_a1", outside="district_b", kwargs=lambda w: {"pk": _mon_post(w).pk}),
    Case("monitoring:task_create", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_post(w).pk}),
    Case("monitoring:source_list", inside="district_b", must_not_contain=lambda w: _mon_source(w).code),
    Case("monitoring:source_pull", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_source(w, "feed").pk}),
    Case("monitoring:upload", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _mon_source(w, "upload").pk}),
    Case("monitoring:scheme_list", inside="district_b", must_not_contain=lambda w: _mon_scheme(w).name),
    Case("monitoring:scheme_new", inside="district_a"),
    Case("monitoring:scheme_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _mon_scheme(w).pk}),
    Case("monitoring:alert_list", inside="district_b", must_not_contain=lambda w: _mon_alert(w).reason),
    Case("monitoring:alert_ack", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_alert(w).pk}),
    Case("monitoring:alert_close", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_alert(w).pk}),
    Case("monitoring:warning_dashboard", inside="district_b",
         must_not_contain=lambda w: _mon_case(w).request.reference),
    Case("monitoring:warning_action", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_case(w).pk}, data=lambda w: {"text": "已约谈企业负责人"}),
    Case("monitoring:warning_outcome", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_case(w).pk}, data=lambda w: {"outcome": "resolved"}),
    Case("monitoring:brief_list", inside="district_b", must_not_contain=lambda w: _mon_brief(w).owner_organization.name),
    Case("monitoring:brief_detail", inside="district_a", outside="district_b", kwargs=lambda w: {"pk": _mon_brief(w).pk}),
    Case("monitoring:brief_pdf", inside="district_a", outside="district_b", kwargs=lambda w: {"pk": _mon_brief(w).pk}),
    Case("monitoring:task_list", inside="district_b", must_not_contain=lambda w: _mon_task(w).instructions),
    Case("monitoring:task_complete", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _mon_task(w).pk}, data=lambda w: {"note": "已澄清"}),
]
WEB += MONITORING

API += [
    Case("POST /api/v1/monitoring/push", inside="district_a", outside="district_b",
         data=lambda w: {"source": _mon_source(w).code, "items": [{"external_id": "p1", "text": "浦江精密拖欠工资"}]}),
    Case("POST /api/v1/monitoring/classify", inside="district_a", data=lambda w: {"texts": ["公司拖欠工资三个月"]}),
    Case("GET /api/v1/monitoring/posts", inside="district_b", must_not_contain=lambda w: _mon_post(w).text[:10]),
    Case("GET /api/v1/monitoring/schemes", inside="district_b", must_not_contain=lambda w: _mon_scheme(w).name),
    Case("GET /api/v1/monitoring/alerts", inside="district_b", must_not_contain=lambda w: _mon_alert(w).reason),
    Case("GET /api/v1/monitoring/warnings", inside="district_b",
         must_not_contain=lambda w: _mon_case(w).request.reference),
    Case("GET /api/v1/monitoring/briefs", inside="district_b",
         must_not_contain=lambda w: _mon_brief(w).owner_organization.name),
]


# ---- employment 会聘 -------------------------------------------------------------------------------------
def _emp():
    from gonghui.employment.tests import scope

    return scope


def _emp_setup(w, then):
    """Create the employers (so their accounts can sign in), then build the kwargs."""
    _emp().employers(w)
    return then(w)


EMPLOYMENT = [
    Case("employment:jobs", inside=None, public=True,
         must_not_contain=lambda w: (_emp().live_posting(w), _emp().pending_posting(w).title)[1]),
    Case("employment:match", inside=None, public=True, query="?q=数控车床"),
    Case("employment:profile", inside="alice"),
    Case("employment:applications", inside="bob", kwargs=lambda w: (_emp().alice_application(w), {})[1],
         must_not_contain=lambda w: _emp().LIVE_TITLE),
    Case("employment:withdraw", inside="alice", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _emp().alice_application(w).pk}),
    Case("employment:fairs", inside=None, public=True),
    Case("employment:fair", inside=None, public=True, kwargs=lambda w: {"pk": _emp().fair(w).pk}),
    Case("employment:fair_register", inside="alice", method="post", inside_status=(302,),
         kwargs=lambda w: (_emp().seeker(w), {"pk": _emp().fair(w).pk})[1]),
    Case("employment:ticket", inside="alice", outside="bob",
         kwargs=lambda w: {"pk": _emp().alice_registration(w).fair_id}),
    Case("employment:posting", inside=None, public=True, kwargs=lambda w: _emp_setup(
        w, lambda w: {"pk": _emp().live_posting(w).pk})),
    Case("employment:apply", inside="alice", method="post", inside_status=(302,),
         kwargs=lambda w: _emp_setup(w, lambda w: (_emp().seeker(w), {"pk": _emp().live_posting(w).pk})[1]),
         data=lambda w: {"idempotency_key": "scope-walk-apply-1"}),
    Case("employment:employer", inside="hr_a1", kwargs=lambda w: _emp().employers(w)),
    Case("employment:employer_posting_new", inside="hr_a1", kwargs=lambda w: _emp().employers(w)),
    Case("employment:employer_posting", inside="hr_a1", outside="hr_b1",
         kwargs=lambda w: _emp_setup(w, lambda w: {"pk": _emp().live_posting(w).pk})),
    Case("employment:employer_posting_edit", inside="hr_a1", outside="hr_b1",
         kwargs=lambda w: _emp_setup(w, lambda w: {"pk": _emp().pending_posting(w).pk})),
    Case("employment:employer_posting_close", inside="hr_a1", outside="hr_b1", method="post", inside_status=(302,),
         kwargs=lambda w: _emp_setup(w, lambda w: {"pk": _emp().live_posting(w).pk})),
    Case("employment:employer_move", inside="hr_a1", outside="hr_b1", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _emp().alice_application(w).pk}, data=lambda w: {"status": "viewed"}),
    Case("employment:employer_contact", inside="hr_a1", outside="bob", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _emp().alice_application(w).seeker_id}),
    Case("employment:dashboard", inside="district_a"),
    Case("employment:employer_list", inside="district_b", query="?status=approved",
         kwargs=lambda w: _emp().employers(w), must_not_contain=lambda w: w.enterprises["a1"].name),
    Case("employment:employer_decide", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _emp().employer(w, "hr_a2", approve=False).pk},
         data=lambda w: {"decision": "approve", "note": ""}),
    Case("employment:posting_list", inside="district_b", kwargs=lambda w: _emp().employers(w),
         must_not_contain=lambda w: _emp().pending_posting(w).title),
    Case("employment:posting_review", inside="district_a", outside="district_b",
         kwargs=lambda w: _emp_setup(w, lambda w: {"pk": _emp().pending_posting(w).pk})),
    Case("employment:posting_decide", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: _emp_setup(w, lambda w: {"pk": _emp().pending_posting(w).pk}),
         data=lambda w: {"decision": "approve", "note": ""}),
    Case("employment:seeker_list", inside="district_b", kwargs=lambda w: (_emp().seeker(w), {})[1],
         must_not_contain=lambda w: "李*丽"),
    Case("employment:fair_list", inside="district_a", kwargs=lambda w: (_emp().fair(w, "district_b"), {})[1],
         must_not_contain=lambda w: _emp().FAIR_B),
    Case("employment:fair_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _emp().fair(w).pk}),
    Case("employment:fair_booth", inside="district_a", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _emp().fair(w).pk}, data=lambda w: {"employer": _emp().employer(w).pk}),
    Case("employment:fair_checkin", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _emp().alice_registration(w).fair_id},
         data=lambda w: {"token": "not-a-ticket"}),
    Case("employment:exchange", inside="district_a"),
]
WEB += EMPLOYMENT

API += [
    Case("POST /api/v1/employment/match", inside="alice", data=lambda w: {"text": "数控车床"}),
    Case("GET /api/v1/employment/postings", inside="district_b",
         kwargs=lambda w: _emp_setup(w, lambda w: (_emp().live_posting(w), {})[1]),
         must_not_contain=lambda w: _emp().LIVE_TITLE),
    Case("GET /api/v1/employment/seekers", inside="district_b", kwargs=lambda w: (_emp().seeker(w), {})[1],
         must_not_contain=lambda w: w.users["alice"].display_name),
    Case("GET /api/v1/employment/placements", inside="district_a", kwargs=lambda w: (_emp().placement(w), {})[1]),
    Case("GET /api/v1/employment/archives", inside="district_b",
         must_not_contain=lambda w: f"postings-{w.orgs['district_a'].pk}-"),
    Case("GET /api/v1/employment/archives/{archive_id}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"archive_id": str(_hr_archive_of(w, "district_a").pk)}),
]


def _hr_archive_of(w, org_key):
    from gonghui.employment.exchange import write_weekly_archive

    written = write_weekly_archive()
    return next(f for f in written if f.organization_id == w.orgs[org_key].pk and f.original_name.startswith("postings"))


# -- members: list, file, reveal, export, roster import (members/views/work.py, members/api.py) ----------


def _alice_membership(w):
    from gonghui.members.models import Membership

    return Membership.objects.get(person__user=w.users["alice"])


def _roster_in(w, username="union_a1", union="union_a1", name="名册-scope.csv", ready=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.members import roster
    from gonghui.members.models import RosterImport

    data = "姓名,身份证号,就业形态\n张三,310104198001010010,职工\n".encode()
    upload = roster.upload_roster(actor=w.users[username], union=w.orgs[union], upload=SimpleUploadedFile(name, data))
    if ready:
        RosterImport.objects.filter(pk=upload.pk).update(status="ready", row_count=1)
    return upload


def _roster_base64():
    import base64

    return base64.b64encode("姓名,身份证号,就业形态\n张三,310104198001010010,职工\n".encode()).decode()


MEMBERS = [
    Case("members:member_list", inside="union_a1", must_not_contain=lambda w: "王博"),
    Case("members:member_list", inside="district_b", must_not_contain=lambda w: "李爱丽"),
    Case("members:member_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _alice_membership(w).pk}),
    Case("members:member_reveal", inside="district_a", outside="district_b", method="post",
         kwargs=lambda w: {"pk": _alice_membership(w).pk}, data=lambda w: {"field": "id_number"}),
    Case("members:member_export", inside="union_a1", method="post", inside_status=(302,)),
    Case("members:import_list", inside="union_a1",
         must_not_contain=lambda w: _roster_in(w, "district_b", "district_b", "徐汇-名册.csv").file_name),
    Case("members:import_template", inside="union_a1"),
    Case("members:import_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _roster_in(w).pk}),
    Case("members:import_commit", inside="union_a1", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _roster_in(w, ready=True).pk}),
]
WEB += MEMBERS

API += [
    Case("GET /api/v1/members", inside="district_b", must_not_contain=lambda w: "李爱丽"),
    Case("GET /api/v1/members/{member_id}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"member_id": _alice_membership(w).pk}),
    Case("POST /api/v1/members/imports", inside="union_a1", outside="district_b", inside_status=(201,),
         data=lambda w: {"union_id": w.orgs["union_a1"].pk, "file_name": "名册.csv",
                         "content_base64": _roster_base64()}),
    Case("GET /api/v1/members/imports/{import_id}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"import_id": _roster_in(w).pk}),
    Case("POST /api/v1/members/imports/{import_id}/commit", inside="union_a1", outside="district_b",
         inside_status=(202,), kwargs=lambda w: {"import_id": _roster_in(w, ready=True).pk}),
]


# ---- union establishment (组建), targets and the membership dashboard (organizing, "targets") ----------------


def _est_case(w, state="preparing"):
    """District A's case for the chip-design company (on its backlog), brought to ``state``."""
    from django.utils import timezone

    from gonghui.organizing import establishment as est
    from gonghui.organizing.models.establishment import EstablishmentCase

    chip = w.enterprises["a_no_union"]
    case = EstablishmentCase.objects.filter(proposed_name="芯片设计工会").first() or est.open_case(
        actor=w.users["district_a"], upper=chip.owner_organization, outcome="grassroots",
        proposed_name="芯片设计工会", enterprises=[chip])
    if state in ("grouped", "elected") and not case.preparatory_members.exists():
        for name, role in (("甲", "leader"), ("乙", "member"), ("丙", "member")):
            est.add_preparatory_member(actor=w.users["district_a"], case=case, name=name, role=role)
    if state == "elected" and case.status == "preparing":
        case = est.record_election(actor=w.users["district_a"], case=case, election_date=timezone.localdate(),
                                   committee=["甲", "乙", "丙"], chair_name="甲")
    return case


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _target_a(w):
    from gonghui.organizing import targets
    from gonghui.organizing.models.targets import Target

    return Target.objects.filter(organization=w.orgs["district_a"]).first() or targets.set_target(
        actor=w.users["city"], organization=w.orgs["district_a"], year=2026, metric="joined", group="gig",
        value=40, note="浦东新就业形态目标")


ESTABLISHMENT = [
    Case("organizing:dashboard", inside="district_b", must_not_contain=lambda w: w.orgs["district_a"].name),
    Case("organizing:targets", inside="district_b", query="?year=2026",
         kwargs=lambda w: (_target_a(w), {})[1], must_not_contain=lambda w: "浦东新就业形态目标"),
    Case("organizing:target_delete", inside="city", outside="district_b", method="post", inside_status=(302,),
         kwargs=lambda w: {"pk": _target_a(w).pk}),
    Case("organizing:establishment_backlog", inside="district_b",
         must_not_contain=lambda w: w.enterprises["a_no_union"].name),
    Case("organizing:establishment_backlog_export", inside="district_a", method="post", inside_status=(302,)),
    Case("organizing:establishment_case_list", inside="district_b", kwargs=lambda w: (_est_case(w), {})[1],
         must_not_contain=lambda w: "芯片设计工会"),
    Case("organizing:establishment_case_new", inside="district_a"),
    Case("organizing:establishment_case_detail", inside="district_a", outside="district_b",
         kwargs=lambda w: {"pk": _est_case(w).pk}),
    Case("organizing:establishment_member_add", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w).pk}, data=lambda w: {"name": "丁", "role": "member"}),
    Case("organizing:establishment_member_remove", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w, "grouped").pk,
                                                 "member_pk": _est_case(w).preparatory_members.first().pk}),
    Case("organizing:establishment_election", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w, "grouped").pk},
         data=lambda w: {"election_date": _today(), "committee": "甲\n乙\n丙", "chair_name": "甲"}),
    Case("organizing:establishment_approve", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w, "elected").pk}),
    Case("organizing:establishment_return", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w, "elected").pk},
         data=lambda w: {"return-reason": "重新选举"}),
    Case("organizing:establishment_abandon", inside="district_a", outside="district_b", method="post",
         inside_status=(302,), kwargs=lambda w: {"pk": _est_case(w).pk}, data=lambda w: {"abandon-reason": "停业"}),
]
WEB += ESTABLISHMENT

API += [
    Case("GET /api/v1/organizing/establishment/backlog", inside="district_b",
         must_not_contain=lambda w: w.enterprises["a_no_union"].name),
    Case("GET /api/v1/organizing/establishment/cases", inside="district_b", kwargs=lambda w: (_est_case(w), {})[1],
         must_not_contain=lambda w: "芯片设计工会"),
    Case("GET /api/v1/organizing/establishment/cases/{case_id}", inside="district_a", outside="district_b",
         kwargs=lambda w: {"case_id": _est_case(w).pk}),
    Case("POST /api/v1/organizing/establishment/cases", inside="district_a", outside="district_b",
         inside_status=(201,), data=lambda w: {
             "upper_id": w.orgs["park_a"].pk, "outcome": "grassroots", "proposed_name": "芯片设计工会",
             "enterprise_ids": [w.enterprises["a_no_union"].pk]}),
    Case("POST /api/v1/organizing/establishment/cases/{case_id}/preparatory-members", inside="district_a",
         outside="district_b", inside_status=(201,), kwargs=lambda w: {"case_id": _est_case(w).pk},
         data=lambda w: {"name": "丁"}),
    Case("POST /api/v1/organizing/establishment/cases/{case_id}/election", inside="district_a", outside="district_b",
         kwargs=lambda w: {"case_id": _est_case(w, "grouped").pk},
         data=lambda w: {"election_date": _today(), "committee": ["甲", "乙", "丙"], "chair_name": "甲"}),
    Case("POST /api/v1/organizing/establishment/cases/{case_id}/decision", inside="district_a", outside="district_b",
         kwargs=lambda w: {"case_id": _est_case(w, "elected").pk}, data=lambda w: {"decision": "approve"}),
    Case("POST /api/v1/organizing/establishment/cases/{case_id}/abandon", inside="district_a", outside="district_b",
         kwargs=lambda w: {"case_id": _est_case(w).pk}, data=lambda w: {"reason": "停业"}),
    Case("GET /api/v1/organizing/targets", inside="district_b", kwargs=lambda w: (_target_a(w), {})[1],
         must_not_contain=lambda w: "浦东新就业形态目标"),
    Case("POST /api/v1/organizing/targets", inside="city", outside="district_b", inside_status=(201,),
         data=lambda w: {"organization_id": w.orgs["district_a"].pk, "year": 2026, "metric": "joined",
                         "group": "gig", "value": 40}),
]
