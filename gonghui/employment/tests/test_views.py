import re

from django.urls import reverse

from gonghui.employment.models import Application, Employer, JobPosting, SeekerProfile
from gonghui.employment.tests import factories


def _key(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)


def test_employer_registers_and_waits_for_approval(world):
    from gonghui.accounts.models import User

    user = User.objects.create_user(username="hr_new", mobile="13900000077")
    world.users["hr_new"] = user
    client = world.client("hr_new")
    response = client.post(reverse("employment:employer"), {"uscc": "12345", "contact_name": "王", "contact_phone": "x"})
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="field-error"') == 2
    response = client.post(reverse("employment:employer"), {
        "uscc": world.enterprises["a1"].uscc, "contact_name": "王经理", "contact_phone": "13900000077"})
    assert response.status_code == 302
    assert Employer.objects.get(user=user).status == "pending"
    assert "data-testid=\"new-posting\"" not in client.get(reverse("employment:employer")).content.decode()


def test_posting_form_shows_field_messages_for_bad_salary_and_past_date(world):
    factories.employer(world)
    client = world.client("hr_a1")
    data = {"title": "焊工", "industry": "34", "region": "310115", "salary_min": "9000", "salary_max": "6000",
            "salary_months": "12", "education": "any", "experience_years": "0", "headcount": "1",
            "contact_name": "王", "contact_phone": "13900000011", "closes_on": "2020-01-01",
            "description": "焊接 <a href='http://x.cn'>点此</a>"}
    response = client.post(reverse("employment:employer_posting_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2020-01-01" in page and page.count('class="field-error"') >= 3
    assert not JobPosting.objects.exists()


def test_quick_match_page_explains_and_alice_applies_once(world):
    posting = factories.posting(world)
    response = world.client(None).get(reverse("employment:match"), {"q": "数控车床", "region": "310115"})
    page = response.content.decode()
    assert f'data-testid="posting-{posting.pk}"' in page and f'data-testid="reasons-{posting.pk}"' in page
    alice = world.client("alice")
    response = alice.post(reverse("employment:apply", args=[posting.pk]), {"idempotency_key": "a" * 16})
    assert response.status_code == 302 and response["Location"] == reverse("employment:profile")
    profile = alice.get(reverse("employment:profile")).content.decode()
    assert "李爱丽" in profile and "13800000001" in profile  # pre-filled from her member file
    response = alice.post(reverse("employment:profile"), {
        "name": "李爱丽", "mobile": "13800000001", "education": "secondary_vocational", "experience_years": "3",
        "contact_visibility": "applied", "is_active": "on", "desired_occupations": "数控车床操作工",
        "share_with_hr_bureau": "on"})
    assert response.status_code == 302
    key = _key(alice.get(reverse("employment:posting", args=[posting.pk])).content.decode())
    assert alice.post(reverse("employment:apply", args=[posting.pk]), {"idempotency_key": key}).status_code == 302
    assert alice.post(reverse("employment:apply", args=[posting.pk]), {"idempotency_key": key}).status_code == 302
    second = alice.post(reverse("employment:apply", args=[posting.pk]), {"idempotency_key": "b" * 16}, follow=True)
    assert "already applied" in second.content.decode() or "已经投递" in second.content.decode()
    assert Application.objects.count() == 1
    page = alice.get(reverse("employment:applications")).content.decode()
    assert 'data-testid="application-status"' in page


def test_pending_postings_are_not_public(world):
    posting = factories.posting(world, publish=False)
    assert world.client(None).get(reverse("employment:posting", args=[posting.pk])).status_code == 404
    assert posting.title not in world.client(None).get(reverse("employment:jobs")).content.decode()


def test_employer_sees_masked_seekers_and_moves_applications(world):
    posting = factories.posting(world)
    seeker = factories.seeker(world, "alice")
    client = world.client("hr_a1")
    page = client.get(reverse("employment:employer_posting", args=[posting.pk])).content.decode()
    assert "138****0001" in page and "13800000001" not in page and "李*丽" in page  # recommended, masked
    application = Application.objects.create(posting=posting, seeker=seeker, idempotency_key="view-test-1",
                                             owner_organization=posting.owner_organization)
    response = client.post(reverse("employment:employer_move", args=[application.pk]), {"status": "interview"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "interview"
    assert world.client("hr_b1" if factories.employer(world, "hr_b1") else "").post(
        reverse("employment:employer_move", args=[application.pk]), {"status": "offer"}).status_code == 404


def test_staff_review_publishes_and_findings_are_shown(world):
    employer = factories.employer(world)
    from gonghui.employment import services

    posting = services.submit_posting(actor=employer.user, **factories.posting_data(
        world, description="限男性，年龄35岁以下"))
    page = world.client("district_a").get(reverse("employment:posting_review", args=[posting.pk])).content.decode()
    assert 'data-severity="ban"' in page and 'data-testid="publish"' not in page
    response = world.client("district_a").post(reverse("employment:posting_decide", args=[posting.pk]),
                                               {"decision": "approve", "note": ""}, follow=True)
    posting.refresh_from_db()
    assert posting.status == "pending" and response.status_code == 200


def test_a_member_without_a_role_is_refused_staff_pages(world):
    for name in ("dashboard", "posting_list", "fair_list", "exchange"):
        assert world.client("alice").get(reverse(f"employment:{name}")).status_code == 403


def test_dashboard_counts_placements_and_priority_groups(world):
    from gonghui.employment.tests import scope

    scope.placement(world)
    SeekerProfile.objects.filter(user=world.users["alice"]).update(priority_groups=["closed_enterprise"])
    page = world.client("district_a").get(reverse("employment:dashboard")).content.decode()
    assert re.search(r'data-testid="placements">1<', page)
    assert "100.0%" in page
    page_b = world.client("district_b").get(reverse("employment:dashboard")).content.decode()
    assert re.search(r'data-testid="placements">0<', page_b)


def test_the_ticket_is_a_qr_svg_for_the_seeker_only(world):
    from gonghui.employment.tests import scope

    registration = scope.alice_registration(world)
    response = world.client("alice").get(reverse("employment:ticket", args=[registration.fair_id]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert world.client("bob").get(reverse("employment:ticket", args=[registration.fair_id])).status_code == 404


def test_exports_run_as_jobs_with_the_standard_codes(world, django_capture_on_commit_callbacks):
    import io

    from openpyxl import load_workbook

    from gonghui.core import files
    from gonghui.core.models import Job

    posting = factories.posting(world)
    client = world.client("district_a")
    today = posting.published_at.date().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("employment:exchange"), {"exp-since": today, "exp-until": today})
    job = Job.objects.get(kind="employment.export_postings")
    assert response.status_code == 302 and job.status == "done"
    with files.storage().open(job.result_file.storage_name, "rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and rows[1][1] == posting.title and rows[1][4] == "310115"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employment:dashboard"))
    assert Job.objects.get(kind="employment.export_dashboard").status == "done"


def test_an_import_uploaded_on_the_exchange_page_lands_in_review(world, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.employment.tests.test_exchange import _row, _xlsx

    factories.employer(world)
    upload = SimpleUploadedFile("jobs.xlsx", _xlsx([_row(world, 薪资="8千-1.2万"), _row(world, 职位名称="理货员")]))
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("district_a").post(reverse("employment:exchange"), {"imp-file": upload})
    assert response.status_code == 302
    assert sorted(JobPosting.objects.values_list("title", "status")) == [("仓库管理员", "pending"), ("理货员", "pending")]
    page = world.client("district_a").get(reverse("employment:posting_list")).content.decode()
    assert "理货员" in page
