import re
from datetime import date

from gonghui.hall.models import ServiceRequest
from gonghui.hardship.models import HardshipApplication, HardshipFile
from gonghui.orgs.models import Region


def test_self_test_stores_nothing_and_shows_the_tier(world, client):
    response = client.post("/hardship/self-test/", {
        "region": "310115", "household_size": "3", "annual_income": "54000", "medical_expenses": "9000",
        "education_expenses": "0", "accident_costs": "0", "insurance_paid": "0", "homes_count": "0",
        "residence_years": "0", "employment_months": "0"})
    page = response.content.decode()
    assert "1250.00" in page and 'data-testid="self-test-result"' in page
    assert not HardshipApplication.objects.exists() and ServiceRequest.objects.filter(
        service_type__code="hardship-aid").count() == 0


def test_self_test_refuses_a_household_of_zero(world, client):
    response = client.post("/hardship/self-test/", {"region": "310115", "household_size": "0",
                                                    "annual_income": "-1"})
    assert response.status_code == 200 and response.content.decode().count('class="field-error"') >= 2


def _form(page):
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)


def _application_data(key, **over):
    data = {
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "20",
        "m-0-name": "李爱丽", "m-0-relation": "self", "m-0-annual_income": "30000",
        "m-1-name": "张强", "m-1-relation": "spouse", "m-1-annual_income": "0", "m-1-note": "重病",
        "region": "310115", "housing": "rent", "cause": "illness", "narrative": "丈夫重病。",
        "medical_expenses": "6000", "education_expenses": "0", "accident_costs": "0", "insurance_paid": "0",
        "homes_count": "0", "residence_years": "10", "employment_months": "60", "idempotency_key": key,
    }
    data.update(over)
    return data


def test_alice_applies_with_her_household_and_a_double_submit_files_once(world):
    client = world.client("alice")
    key = _form(client.get("/hardship/apply/").content.decode())
    first = client.post("/hardship/apply/", _application_data(key))
    second = client.post("/hardship/apply/", _application_data(key))
    assert first.status_code == 302 and second.status_code == 302 and first["Location"] == second["Location"]
    application = HardshipApplication.objects.get()
    assert application.household_size == 2 and str(application.per_capita_monthly) == "1000.00"
    assert application.tier == "deep"


def test_the_application_form_keeps_field_messages(world):
    client = world.client("alice")
    key = _form(client.get("/hardship/apply/").content.decode())
    response = client.post("/hardship/apply/", _application_data(key, **{"m-0-annual_income": "-10",
                                                                          "narrative": ""}))
    assert response.status_code == 200 and not HardshipApplication.objects.exists()
    assert response.content.decode().count('class="field-error"') >= 2


def test_staff_see_the_household_panel_record_the_visit_and_pay_from_the_file(world):
    from gonghui.hall import services as hall
    from gonghui.hardship import services

    request, _ = services.apply(actor=world.users["alice"], region=Region.objects.get(code="310115"),
                                members=[{"name": "李爱丽", "relation": "self", "annual_income": "12000"}],
                                facts={"housing": "rent", "cause": "illness"}, narrative="家里困难",
                                idempotency_key="v")
    union = world.client("union_a1")
    page = union.get(f"/work/hall/{request.reference}/").content.decode()
    assert 'data-testid="hardship-panel"' in page and "1000.00" in page and "家里困难" in page
    from gonghui.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="sensitive.read", actor=world.users["union_a1"]).exists()
    # The auditor may see the request in the hall but not the household's sensitive detail.
    assert 'data-testid="hardship-panel"' not in world.client("auditor").get(
        f"/work/hall/{request.reference}/").content.decode()
    hall.transition(actor=world.users["union_a1"], request=request, name="accept")
    union.post(f"/work/hardship/applications/{request.hardship.pk}/visit/",
               {"visited_on": "2026-11-20", "visitors": "王主席", "findings": "情况属实"})
    assert request.hardship.visits.count() == 1
    hall.transition(actor=world.users["union_a1"], request=request, name="verify")
    district = world.client("district_a")
    district.post(f"/work/hall/{request.reference}/action/", {"action": "approve"})
    file = HardshipFile.objects.get()
    page = union.get(f"/work/hardship/files/{file.pk}/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    line = file.owner_organization.budget_lines.get(kind="living")
    union.post(f"/work/hardship/files/{file.pk}/pay/", {"budget_line": line.pk, "kind": "living",
                                                        "amount": "800", "note": "冬季生活救助",
                                                        "idempotency_key": key})
    union.post(f"/work/hardship/files/{file.pk}/pay/", {"budget_line": line.pk, "kind": "living",
                                                        "amount": "800", "idempotency_key": key})
    assert file.aid.count() == 1
    dashboard = district.get("/work/hardship/").content.decode()
    assert 'data-testid="files-active"' in dashboard and ">1<" in dashboard
    assert "李爱丽" not in world.client("district_b").get("/work/hardship/files/?status=all").content.decode()
    alice_page = world.client("alice").get("/hardship/mine/").content.decode()
    assert "800" in alice_page


def test_income_form_rejects_the_future(world):
    from gonghui.core.tests.scope_cases import _alice_file

    file = _alice_file(world)
    response = world.client("union_a1").post(f"/work/hardship/files/{file.pk}/income/", {
        "month": f"{date.today().year + 1}-01", "household_income": "1000", "household_size": "1"}, follow=True)
    assert not file.incomes.exists()
    assert "msg-error" in response.content.decode()


def test_a_cadre_enters_an_application_by_id_number_only_for_workers_in_scope(world):
    client = world.client("union_a1")
    page = client.get("/work/hardship/apply/").content.decode()
    key = _form(page)
    data = _application_data(key, id_number="310101199003070027")
    response = client.post("/work/hardship/apply/", data)
    assert response.status_code == 302
    application = HardshipApplication.objects.get()
    assert application.request.channel == "walk_in" and application.request.applicant == world.users["alice"]
    # Bob's file is in district B: union_a1 cannot find him.
    key = _form(client.get("/work/hardship/apply/").content.decode())
    response = client.post("/work/hardship/apply/", _application_data(key, id_number="310104198811230011"))
    assert response.status_code == 200 and HardshipApplication.objects.count() == 1
