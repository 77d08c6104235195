"""The workbench member list, search, a member's file with history, the audited reveal and the export."""

import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gonghui.core.jobs import start_job
from gonghui.core.models import AuditEvent, Job, JobStatus
from gonghui.members import roster
from gonghui.members.models import Membership, MembershipEvent, Person
from gonghui.members.tests.test_roster_files import csv_bytes, person_row

ALICE_ID = "310101199003070027"


def _alice(world):
    return Membership.objects.get(person__user=world.users["alice"])


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_grassroots_cadre_sees_own_members_masked_and_not_district_b(world):
    page = _page(world.client("union_a1"), "/work/members/")
    assert "李爱丽" in page and "王博" not in page
    assert ALICE_ID not in page and "310***********0027" in page and "138****0001" in page


def test_district_b_cannot_open_alice(world):
    assert world.client("district_b").get(f"/work/members/{_alice(world).pk}/").status_code == 404
    assert (
        world.client("district_b")
        .post(f"/work/members/{_alice(world).pk}/reveal/", {"field": "id_number"})
        .status_code
        == 404
    )


def test_search_by_name_start_mobile_id_number_and_member_number(world):
    client = world.client("city")
    alice = _alice(world)
    for query in ["李爱", "13800000001", ALICE_ID, alice.member_number]:
        page = _page(client, f"/work/members/?q={query}")
        assert "李爱丽" in page and "王博" not in page, query
    assert "李爱丽" not in _page(client, "/work/members/?q=爱丽")  # names match from their start
    assert "李爱丽" not in _page(client, "/work/members/?q=310101199003070019")  # a different ID number


def test_filters_by_union_status_and_employment_form(world):
    client = world.client("city")
    page = _page(client, f"/work/members/?union={world.orgs['district_b'].pk}")
    assert "王博" in page and "李爱丽" not in page
    assert "李爱丽" not in _page(client, "/work/members/?form=food_delivery")
    Membership.objects.filter(pk=_alice(world).pk).update(status="ended")
    assert "李爱丽" not in _page(client, "/work/members/")
    assert "李爱丽" in _page(client, "/work/members/?status=ended")


def test_the_list_pages_with_a_cursor(world, django_capture_on_commit_callbacks):
    data = csv_bytes([person_row(i, name=f"成员{i:02d}") for i in range(40)])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(
            actor=world.users["union_a1"],
            union=world.orgs["union_a1"],
            upload=SimpleUploadedFile("r.csv", data),
        )
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=world.users["union_a1"], roster=upload)
    client = world.client("union_a1")
    first = _page(client, "/work/members/")
    assert 'rel="next"' in first and first.count("/work/members/") >= 25
    cursor = html.unescape(re.search(r'href="\?([^"]*cursor=[^"]*)" rel="next"', first).group(1))
    second = _page(client, f"/work/members/?{cursor}")
    names_first = set(re.findall(r"成员\d\d", first))
    names_second = set(re.findall(r"成员\d\d", second))
    assert names_first and names_second and not names_first & names_second


def test_the_detail_shows_history_and_the_reveal_is_audited(world):
    alice = _alice(world)
    MembershipEvent.objects.create(
        person=alice.person, membership=alice, kind="joined", union=alice.union, note="线上入会"
    )
    client = world.client("district_a")
    page = _page(client, f"/work/members/{alice.pk}/")
    assert "线上入会" in page and ALICE_ID not in page and 'data-testid="reveal-id"' in page
    response = client.post(f"/work/members/{alice.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 200 and ALICE_ID in response.content.decode()
    assert AuditEvent.objects.filter(
        action="sensitive.read", object_id=str(alice.person.pk), actor=world.users["district_a"]
    ).exists()


def test_a_cadre_without_the_right_cannot_reveal(world):
    alice = _alice(world)
    client = world.client("union_a1")
    assert 'data-testid="reveal-id"' not in _page(client, f"/work/members/{alice.pk}/")
    response = client.post(f"/work/members/{alice.pk}/reveal/", {"field": "id_number"}, follow=True)
    assert ALICE_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(action="sensitive.read").exists()


def _export(world, username, capture, **params):
    with capture(execute=True):
        job = start_job(
            actor=world.users[username], kind="members.export_roster", params={"lang": "en", **params}
        )
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.error
    response = world.client(username).get(f"/files/{job.result_file_id}/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)], job


def test_export_masks_id_numbers_without_the_right_and_neutralises_formulas(
    world, django_capture_on_commit_callbacks
):
    Person.objects.filter(user=world.users["alice"]).update(occupation='=HYPERLINK("http://evil")')
    rows, _job = _export(world, "union_a1", django_capture_on_commit_callbacks)
    assert rows[0][:3] == ["会员编号", "姓名", "身份证号"]
    alice = next(r for r in rows if r[1] == "李爱丽")
    assert alice[2] == "310***********0027" and alice[7].startswith("'=")
    assert not any(r[1] == "王博" for r in rows)
    assert not AuditEvent.objects.filter(action="sensitive.read").exists()


def test_export_with_the_right_shows_full_numbers_and_is_audited(world, django_capture_on_commit_callbacks):
    rows, job = _export(world, "district_a", django_capture_on_commit_callbacks)
    assert any(r[2] == ALICE_ID for r in rows)
    assert AuditEvent.objects.filter(action="sensitive.read", object_id=str(job.pk)).exists()


def test_the_export_button_starts_a_job(world):
    response = world.client("union_a1").post("/work/members/export/?q=李")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert Job.objects.get(kind="members.export_roster").params["q"] == "李"
