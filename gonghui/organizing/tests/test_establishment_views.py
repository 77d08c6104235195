"""Establishment pages and API: the backlog per district, a case from the form to the tree, field messages,
the Excel export, and the API with its scope."""

import json

import openpyxl
from django.utils import timezone

from gonghui.core.jobs import start_job
from gonghui.core.models import JobStatus
from gonghui.organizing.models.establishment import CaseStatus, EstablishmentCase
from gonghui.orgs.models import Enterprise, Organization

CHIP = "上海张江芯片设计有限公司"
HOME_B = "上海徐汇家政服务有限公司"


def test_backlog_page_is_per_district(world):
    page = world.client("district_a").get("/work/organizing/backlog/")
    assert page.status_code == 200
    text = page.content.decode()
    assert CHIP in text and HOME_B not in text
    text_b = world.client("district_b").get("/work/organizing/backlog/").content.decode()
    assert HOME_B in text_b and CHIP not in text_b
    city = world.client("city").get("/work/organizing/backlog/?region=310104").content.decode()
    assert HOME_B in city and f'>{CHIP}<' not in city
    assert world.client("alice").get("/work/organizing/backlog/").status_code == 403


def test_case_from_the_form_to_a_new_union_in_the_tree(world):
    client = world.client("district_a")
    chip = world.enterprises["a_no_union"]
    form = client.get(f"/work/organizing/cases/new/?enterprise={chip.pk}")
    assert form.status_code == 200 and chip.uscc in form.content.decode()
    response = client.post("/work/organizing/cases/new/", {
        "upper": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "上海张江芯片设计有限公司工会",
        "enterprises": chip.uscc, "idempotency_key": "form-key-1"})
    case = EstablishmentCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/work/organizing/cases/{case.pk}/"
    # A double tap on the same form opens nothing new.
    client.post("/work/organizing/cases/new/", {
        "upper": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "上海张江芯片设计有限公司工会",
        "enterprises": chip.uscc, "idempotency_key": "form-key-1"})
    assert EstablishmentCase.objects.count() == 1
    for name, role in (("林建华", "leader"), ("黄晓燕", "member"), ("何志强", "member")):
        assert client.post(f"/work/organizing/cases/{case.pk}/members/", {"name": name, "role": role}).status_code == 302
    response = client.post(f"/work/organizing/cases/{case.pk}/election/", {
        "election_date": timezone.localdate().isoformat(), "committee": "林建华、黄晓燕、何志强", "chair_name": "林建华"})
    assert response.status_code == 302
    detail = client.get(f"/work/organizing/cases/{case.pk}/").content.decode()
    assert 'data-testid="approve-case"' in detail
    response = client.post(f"/work/organizing/cases/{case.pk}/approve/", {"note": "同意"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ESTABLISHED
    union = Organization.objects.get(name="上海张江芯片设计有限公司工会")
    assert Enterprise.objects.get(pk=chip.pk).union == union
    detail = client.get(f"/work/organizing/cases/{case.pk}/").content.decode()
    assert 'data-testid="new-union"' in detail and "同意" in detail
    assert union.name in client.get("/work/orgs/?q=芯片").content.decode()


def test_form_shows_field_messages(world):
    client = world.client("district_a")
    response = client.post("/work/organizing/cases/new/", {
        "upper": world.orgs["park_a"].pk, "outcome": "grassroots", "proposed_name": "",
        "enterprises": "91310115MA1K0000XX\n", "idempotency_key": "k"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "proposed_name" in form.errors and "enterprises" in form.errors
    home_b = Enterprise.objects.get(name=HOME_B)
    response = client.post("/work/organizing/cases/new/", {
        "upper": world.orgs["park_a"].pk, "outcome": "grassroots", "proposed_name": "x",
        "enterprises": home_b.uscc, "idempotency_key": "k"})
    assert "enterprises" in response.context["form"].errors  # another district's enterprise is unknown here
    response = client.post("/work/organizing/cases/new/", {
        "upper": world.orgs["park_a"].pk, "outcome": "industry", "proposed_name": "x",
        "enterprises": world.enterprises["a_no_union"].uscc, "idempotency_key": "k"})
    assert "upper" in response.context["form"].errors
    assert not EstablishmentCase.objects.exists()


def test_election_errors_come_back_on_the_page(world):
    client = world.client("district_a")
    chip = world.enterprises["a_no_union"]
    client.post("/work/organizing/cases/new/", {
        "upper": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "芯片工会",
        "enterprises": chip.uscc, "idempotency_key": "k2"})
    case = EstablishmentCase.objects.get()
    for name, role in (("甲", "leader"), ("乙", "member"), ("丙", "member")):
        client.post(f"/work/organizing/cases/{case.pk}/members/", {"name": name, "role": role})
    response = client.post(f"/work/organizing/cases/{case.pk}/election/", {
        "election_date": timezone.localdate().isoformat(), "committee": "甲\n乙", "chair_name": "丁"})
    assert response.status_code == 200
    errors = response.context["election_form"].errors
    assert "committee" in errors
    response = client.post(f"/work/organizing/cases/{case.pk}/election/", {
        "election_date": "not a date", "committee": "甲\n乙\n丙", "chair_name": "甲"})
    assert "election_date" in response.context["election_form"].errors
    response = client.post(f"/work/organizing/cases/{case.pk}/members/", {"name": "甲", "role": "member"})
    assert "name" in response.context["member_form"].errors
    case.refresh_from_db()
    assert case.status == CaseStatus.PREPARING


def test_district_b_gets_404_on_district_a_case_pages(world):
    client = world.client("district_a")
    chip = world.enterprises["a_no_union"]
    client.post("/work/organizing/cases/new/", {
        "upper": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "芯片工会",
        "enterprises": chip.uscc, "idempotency_key": "k3"})
    case = EstablishmentCase.objects.get()
    other = world.client("district_b")
    assert other.get(f"/work/organizing/cases/{case.pk}/").status_code == 404
    assert other.post(f"/work/organizing/cases/{case.pk}/members/", {"name": "x"}).status_code == 404
    assert other.post(f"/work/organizing/cases/{case.pk}/abandon/", {"abandon-reason": "x"}).status_code == 404
    assert other.get(f"/work/organizing/cases/new/?enterprise={chip.pk}").status_code == 404
    assert "芯片工会" not in other.get("/work/organizing/cases/").content.decode()
    # A grassroots cadre may not take the upper union's decision.
    assert world.client("union_a1").post(f"/work/organizing/cases/{case.pk}/approve/").status_code == 403


def test_backlog_export_is_scoped(world, tmp_path, django_capture_on_commit_callbacks):
    response = world.client("district_b").post("/work/organizing/backlog/export/", {"region": ""})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=world.users["district_b"], kind="organizing.export_backlog", params={"lang": "en"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = world.client("district_b").get(f"/files/{job.result_file_id}/")
    path = tmp_path / "backlog.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("District", "Name")
    assert [r[1] for r in rows[1:]] == [HOME_B]


# ---------------------------------------------------------------------------------------------------- API


def _api(client, method, url, data=None, key="api-key-0001"):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json",
                                   HTTP_IDEMPOTENCY_KEY=key)


def test_api_runs_a_case_and_sets_a_target(world):
    client = world.client("district_a")
    chip = world.enterprises["a_no_union"]
    backlog = client.get("/api/v1/organizing/establishment/backlog").json()
    assert [row["name"] for row in backlog["items"]] == [CHIP]
    created = _api(client, "post", "/api/v1/organizing/establishment/cases", {
        "upper_id": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "芯片工会",
        "enterprise_ids": [chip.pk]})
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    again = _api(client, "post", "/api/v1/organizing/establishment/cases", {
        "upper_id": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "芯片工会",
        "enterprise_ids": [chip.pk]})
    assert again.json()["id"] == case_id
    for name, role in (("甲", "leader"), ("乙", "member"), ("丙", "member")):
        response = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/preparatory-members",
                        {"name": name, "role": role})
        assert response.status_code == 201
    bad = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/election", {
        "election_date": timezone.localdate().isoformat(), "committee": ["甲", "乙"], "chair_name": "甲"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "committee"
    elected = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/election", {
        "election_date": timezone.localdate().isoformat(), "committee": ["甲", "乙", "丙"], "chair_name": "甲"})
    assert elected.json()["status"] == "elected"
    assert world.client("district_b").get(f"/api/v1/organizing/establishment/cases/{case_id}").status_code == 404
    decided = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/decision",
                   {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["status"] == "established"
    assert Enterprise.objects.get(pk=chip.pk).union_id == decided.json()["union_id"]
    detail = client.get(f"/api/v1/organizing/establishment/cases/{case_id}").json()
    assert [e["kind"] for e in detail["timeline"]][-1] == "approved" and len(detail["preparatory_group"]) == 3

    city = world.client("city")
    response = _api(city, "post", "/api/v1/organizing/targets", {
        "organization_id": world.orgs["district_a"].pk, "year": 2026, "metric": "joined", "group": "gig",
        "value": 100})
    assert response.status_code == 201 and response.json()["share"] == response.json()["actual"]
    own = _api(client, "post", "/api/v1/organizing/targets", {
        "organization_id": world.orgs["district_a"].pk, "year": 2026, "metric": "joined", "value": 5})
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "organization"
    listed = client.get("/api/v1/organizing/targets?year=2026").json()
    assert [row["organization_id"] for row in listed] == [world.orgs["district_a"].pk]
    assert world.client("district_b").get("/api/v1/organizing/targets?year=2026").json() == []


def test_api_tokens_read_but_do_not_take_steps(world):
    from gonghui.accounts.services import create_api_token

    _token, raw = create_api_token(actor=world.users["security"], name="统计", organization=world.orgs["district_a"],
                                   permissions=["organizing.establish", "members.view"], days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from django.test import Client

    client = Client()
    listed = client.get("/api/v1/organizing/establishment/backlog", **headers)
    assert listed.status_code == 200 and [r["name"] for r in listed.json()["items"]] == [CHIP]
    chip = world.enterprises["a_no_union"]
    response = client.post("/api/v1/organizing/establishment/cases", data=json.dumps({
        "upper_id": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "x",
        "enterprise_ids": [chip.pk]}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="token-key-1", **headers)
    assert response.status_code == 403
    assert not EstablishmentCase.objects.exists()


def test_api_return_needs_a_note_and_bad_ids_are_not_found(world):
    client = world.client("district_a")
    chip = world.enterprises["a_no_union"]
    case_id = _api(client, "post", "/api/v1/organizing/establishment/cases", {
        "upper_id": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "芯片工会",
        "enterprise_ids": [chip.pk]}).json()["id"]
    for name, role in (("甲", "leader"), ("乙", "member"), ("丙", "member")):
        _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/preparatory-members",
             {"name": name, "role": role})
    _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/election", {
        "election_date": timezone.localdate().isoformat(), "committee": ["甲", "乙", "丙"], "chair_name": "甲"})
    silent = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/decision",
                  {"decision": "return", "note": " "})
    assert silent.status_code == 422 and silent.json()["errors"][0]["field"] == "note"
    returned = _api(client, "post", f"/api/v1/organizing/establishment/cases/{case_id}/decision",
                    {"decision": "return", "note": "补充选举材料"})
    assert returned.json()["status"] == "preparing" and returned.json()["committee"] == []
    assert client.get("/api/v1/organizing/establishment/cases/99999999999").status_code == 404
    unknown = _api(client, "post", "/api/v1/organizing/establishment/cases", {
        "upper_id": chip.owner_organization_id, "outcome": "grassroots", "proposed_name": "x",
        "enterprise_ids": [99999999999]}, key="api-key-0002")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "enterprise_ids"
