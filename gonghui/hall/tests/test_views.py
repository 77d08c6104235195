"""The hall through the browser's eyes: apply, follow, supply materials, rate; the staff inbox."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.hall.models import ServiceRequest, ServiceType

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def _key(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)


def test_carol_applies_and_a_double_click_files_one_application(world):
    client = world.client("carol")
    page = client.get("/hall/services/general-consultation/").content.decode()
    key = _key(page)
    data = {"summary": "平台扣了我的配送费，想咨询怎么维权。", "idempotency_key": key}
    first = client.post("/hall/services/general-consultation/", data)
    second = client.post("/hall/services/general-consultation/", data)
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert ServiceRequest.objects.filter(applicant=world.users["carol"]).count() == 1
    detail = client.get(first["Location"]).content.decode()
    assert "已提交" in detail or "Submitted" in detail


def test_empty_application_shows_a_field_message_and_files_nothing(world):
    client = world.client("carol")
    key = _key(client.get("/hall/services/general-consultation/").content.decode())
    response = client.post("/hall/services/general-consultation/", {"summary": "", "idempotency_key": key})
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert not ServiceRequest.objects.filter(applicant=world.users["carol"]).exists()


def test_anonymous_visitors_see_the_catalogue_and_are_asked_to_sign_in_to_apply(world, client):
    assert "general-consultation" in client.get("/hall/").content.decode()
    page = client.get("/hall/services/general-consultation/").content.decode()
    assert "/accounts/login/?next=" in page and 'name="summary"' not in page


def test_alice_supplies_materials_and_the_clock_resumes(world):
    request = ServiceRequest.objects.get(idempotency_key="demo-2")
    assert request.status == "awaiting_materials"
    client = world.client("alice")
    upload = SimpleUploadedFile("card.png", PNG, content_type="image/png")
    response = client.post(f"/hall/mine/{request.reference}/attach/", {"attachment": upload, "label": "会员证"})
    assert response.status_code == 302
    client.post(f"/hall/mine/{request.reference}/action/", {"action": "supplement"})
    request.refresh_from_db()
    assert request.status == "in_progress" and request.due_date is not None
    assert request.attachments.get().label == "会员证"
    # The staff page lists the file, and opening it is scoped and audited.
    staff_page = world.client("union_a1").get(f"/work/hall/{request.reference}/").content.decode()
    file_id = request.attachments.get().file_id
    assert f"/files/{file_id}/" in staff_page
    assert world.client("district_b").get(f"/files/{file_id}/").status_code == 404
    assert world.client("union_a1").get(f"/files/{file_id}/").status_code == 200


def test_a_disguised_upload_is_refused_with_a_message(world):
    request = ServiceRequest.objects.get(idempotency_key="demo-2")
    upload = SimpleUploadedFile("photo.png", b"<?php system($_GET[1]); ?>", content_type="image/png")
    response = world.client("alice").post(f"/hall/mine/{request.reference}/attach/", {"attachment": upload},
                                          follow=True)
    assert not request.attachments.exists()
    assert "JPEG" in response.content.decode()


def test_staff_inbox_tabs_and_bulk_assign(world):
    client = world.client("union_a1")
    page = client.get("/work/hall/?tab=org").content.decode()
    demo2 = ServiceRequest.objects.get(idempotency_key="demo-2")
    assert demo2.reference in page
    assert demo2.reference in client.get("/work/hall/?tab=awaiting").content.decode()
    bob = ServiceRequest.objects.get(idempotency_key="demo-3")
    assert bob.reference not in client.get("/work/hall/?tab=all").content.decode()
    client.post("/work/hall/assign/", {"requests": [demo2.pk], "assignee": world.users["union_a1"].pk})
    assert demo2.reference in client.get("/work/hall/?tab=mine").content.decode()


def test_rating_from_the_portal_opens_a_rectification_for_a_bad_score(world):
    from gonghui.hall import services

    request = ServiceRequest.objects.get(idempotency_key="demo-2")
    services.transition(actor=world.users["union_a1"], request=request, name="reject", note="材料不全")
    world.client("alice").post(f"/hall/mine/{request.reference}/rate/", {"score": "1", "comment": "不满意",
                                                                         "real_name": "on"})
    request.refresh_from_db()
    assert request.rating.score == 1 and request.rating.rectification.status == "open"
    ratings_page = world.client("district_a").get("/work/hall/ratings/").content.decode()
    assert request.reference in ratings_page


def test_statistics_count_on_time_and_ratings(world):
    page = world.client("district_a").get("/work/hall/stats/?days=30").content.decode()
    assert "上海浦江精密机械有限公司工会" in page and "100.0%" in page


def test_walk_in_form_enters_an_application(world):
    client = world.client("union_a1")
    key = _key(client.get("/work/hall/new/").content.decode())
    response = client.post("/work/hall/new/", {
        "service_type": ServiceType.objects.get(code="general-consultation").pk,
        "channel": "walk_in", "applicant_name": "孙师傅", "applicant_mobile": "13912340000",
        "organization": world.orgs["union_a1"].pk, "summary": "来访咨询", "idempotency_key": key})
    assert response.status_code == 302
    assert ServiceRequest.objects.get(applicant_name="孙师傅").channel == "walk_in"


def test_the_staff_catalogue_counts_open_applications_in_scope_only(world):
    import re

    page = world.client("district_b").get("/work/hall/catalogue/").content.decode()
    row = re.search(r"general-consultation.*?</tr>", page, re.S).group(0)
    assert "<td>1</td>" in row  # bob's open request, not alice's in district A
