"""Roster import, end to end through the workbench: district_a uploads a roster with mistakes and gets the
errors row by row, then a clean one lands whole, once."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent, Job
from gonghui.members import roster
from gonghui.members.choices import MembershipEventKind
from gonghui.members.models import Membership, MembershipEvent, Person, RosterImport, RosterImportStatus
from gonghui.members.tests.test_roster_files import csv_bytes, id_number, person_row, xlsx


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _upload(client, data, name, union, capture):
    page = client.get("/work/members/imports/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    with capture(execute=True):
        response = client.post(
            "/work/members/imports/",
            {"union": union.pk, "idempotency_key": key, "file": SimpleUploadedFile(name, data)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return RosterImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _download(client, url) -> list[list]:
    response = client.get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def test_district_a_gets_row_errors_then_a_clean_roster_lands_whole(
    world, django_capture_on_commit_callbacks
):
    client = _english(world.client("district_a"))
    union = world.orgs["district_a"]
    mistakes = xlsx(
        [
            person_row(1, name="赵一"),
            person_row(
                2, name="钱二", 身份证号=id_number(2)[:-1] + ("0" if id_number(2)[-1] != "0" else "1")
            ),
            person_row(3, name="孙三", 手机号="1234"),
            person_row(4, name="李四", form="程序员"),
            person_row(1, name="赵一"),  # the same person twice in the file
            person_row(
                5, name="李爱丽", 身份证号="310101199003070027"
            ),  # alice: a member of union_a1 already
            person_row(6, name="=cmd|' /C calc'!A0"),
        ]
    )
    before = Membership.objects.count()
    upload = _upload(client, mistakes, "名册.xlsx", union, django_capture_on_commit_callbacks)
    assert upload.status == RosterImportStatus.INVALID and upload.row_count == 7 and upload.error_count == 6
    page = client.get(f"/work/members/imports/{upload.pk}/").content.decode()
    assert 'data-testid="row-errors"' in page and 'data-testid="commit-import"' not in page
    errors = {r["row"]: " ".join(r["messages"]) for r in upload.problems["rows"]}
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "check character" in errors[3] and "11 digits" in errors[4] and "程序员" in errors[5]
    assert "row 2" in errors[6]
    assert "上海浦江精密机械有限公司工会" in errors[7] and "transfer" in errors[7]
    assert "formula" in errors[8]
    assert "310101199003070027" not in str(upload.problems)  # the preview keeps masked numbers only
    # The rows to correct, with the error column first, in the template's columns.
    corrections = re.search(r'href="(/files/[^"]+)" data-testid="download-corrections"', page).group(1)
    sheet = _download(client, corrections)
    assert sheet[0][:3] == ["错误说明", "姓名", "身份证号"] and len(sheet) == 7
    assert sheet[1][1] == "钱二" and "check character" in sheet[1][0]
    assert any(r[1] == "李爱丽" and r[2] == "310101199003070027" for r in sheet)  # failed against the files
    assert any(r["name"] == "李爱丽" for r in upload.problems["rows"])
    # A roster with errors cannot be committed, and nothing was written.
    with pytest.raises(ValidationError):
        roster.commit_roster(actor=world.users["district_a"], roster=upload)
    assert Membership.objects.count() == before

    clean = xlsx(
        [
            person_row(1, name="赵一"),
            person_row(2, name="钱二"),
            person_row(3, name="孙三", form="职工", **{"工作单位/平台": "上海浦江精密机械有限公司"}),
            person_row(4, name="李四", form="快递员", 技能等级="四级/中级工"),
        ]
    )
    upload = _upload(client, clean, "名册-改.xlsx", union, django_capture_on_commit_callbacks)
    assert upload.status == RosterImportStatus.READY and upload.error_count == 0
    assert 'data-testid="commit-import"' in client.get(f"/work/members/imports/{upload.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/work/members/imports/{upload.pk}/commit/")
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.COMMITTED and upload.imported_count == 4
    landed = Membership.objects.filter(union=union, events__kind=MembershipEventKind.IMPORTED)
    assert landed.count() == 4 and Membership.objects.count() == before + 4
    numbers = sorted(landed.values_list("member_number", flat=True))
    assert numbers[0].startswith("310115") and len(set(numbers)) == 4
    worker = Person.objects.get(name="孙三")
    assert worker.employer == world.enterprises["a1"] and worker.employment_form == "employee"
    assert worker.gender in "MF" and worker.birth_date.year == 1983
    assert Person.objects.get(name="李四").skill_level == "4"
    assert Person.objects.get(id_number_bidx=roster.blind_index(id_number(1))).name == "赵一"
    assert AuditEvent.objects.filter(action="members.roster_imported", object_id=str(upload.pk)).exists()
    receipt = _download(client, f"/files/{upload.commit_job.result_file_id}/")
    assert receipt[0][0] == "会员编号" and len(receipt) == 5 and "*" in receipt[1][2]

    # Submitted again (double tap): nothing more lands.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/work/members/imports/{upload.pk}/commit/")
    assert Membership.objects.count() == before + 4
    assert MembershipEvent.objects.filter(kind=MembershipEventKind.IMPORTED).count() == 4


@translation.override("en")
def test_the_same_file_uploaded_twice_lands_once(world, django_capture_on_commit_callbacks):
    actor = world.users["union_a1"]
    union = world.orgs["union_a1"]
    data = csv_bytes([person_row(10, name="周十"), person_row(11, name="吴十一")])
    with django_capture_on_commit_callbacks(execute=True):
        first = roster.upload_roster(actor=actor, union=union, upload=SimpleUploadedFile("a.csv", data))
        second = roster.upload_roster(actor=actor, union=union, upload=SimpleUploadedFile("b.csv", data))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == RosterImportStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=actor, roster=first)
    with pytest.raises(ValidationError, match="already been imported"):
        roster.commit_roster(actor=actor, roster=second)
    assert Membership.objects.filter(union=union, person__name__in=["周十", "吴十一"]).count() == 2
    # And the database itself refuses a second landing of the same file into the same union.
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterImport.objects.filter(pk=second.pk).update(status=RosterImportStatus.COMMITTED)


def test_the_same_idempotency_key_returns_the_first_upload(world, django_capture_on_commit_callbacks):
    actor = world.users["union_a1"]
    data = csv_bytes([person_row(12)])
    with django_capture_on_commit_callbacks(execute=True):
        first = roster.upload_roster(
            actor=actor,
            union=world.orgs["union_a1"],
            upload=SimpleUploadedFile("a.csv", data),
            idempotency_key="k" * 32,
        )
        again = roster.upload_roster(
            actor=actor,
            union=world.orgs["union_a1"],
            upload=SimpleUploadedFile("a.csv", data),
            idempotency_key="k" * 32,
        )
    assert first.pk == again.pk and RosterImport.objects.count() == 1
    assert Job.objects.filter(kind="members.roster_check").count() == 1


def test_nothing_lands_when_someone_joined_between_preview_and_commit(
    world, django_capture_on_commit_callbacks
):
    actor = world.users["district_a"]
    union = world.orgs["district_a"]
    data = xlsx([person_row(20, name="郑二十"), person_row(21, name="王二一")])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(actor=actor, union=union, upload=SimpleUploadedFile("r.xlsx", data))
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.READY
    # Meanwhile 王二一 joins union_a1 online.
    person = Person.objects.create(
        name="王二一",
        id_number=id_number(21),
        employment_form="courier",
        owner_organization=world.orgs["union_a1"],
    )
    Membership.objects.create(
        person=person, union=world.orgs["union_a1"], member_number="X1", joined_on="2025-01-01"
    )
    before = Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=actor, roster=upload)
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.INVALID and upload.error_count == 1
    assert Membership.objects.count() == before and not Person.objects.filter(name="郑二十").exists()


def test_a_constraint_hit_while_landing_rolls_everything_back(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    actor = world.users["district_a"]
    union = world.orgs["district_a"]
    data = xlsx([person_row(30, name="冯三十"), person_row(31, name="陈三一")])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(actor=actor, union=union, upload=SimpleUploadedFile("r.xlsx", data))
    taken = Membership.objects.filter(status="active").values_list("member_number", flat=True).first()
    monkeypatch.setattr(roster, "allocate_member_numbers", lambda union, count: [taken] * count)
    people, memberships = Person.objects.count(), Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=actor, roster=upload)
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.FAILED and upload.problems["file"]
    assert Person.objects.count() == people and Membership.objects.count() == memberships


def test_a_cadre_imports_only_into_unions_in_scope(world, django_capture_on_commit_callbacks):
    client = _english(world.client("union_a1"))
    page = client.get("/work/members/imports/").content.decode()
    assert world.orgs["union_a1"].name in page and world.orgs["district_a"].name not in page
    response = client.post(
        "/work/members/imports/",
        {
            "union": world.orgs["district_b"].pk,
            "file": SimpleUploadedFile("r.csv", csv_bytes([person_row(1)])),
        },
    )
    assert response.status_code == 200 and not RosterImport.objects.exists()
    with pytest.raises(Exception) as error:
        roster.upload_roster(
            actor=world.users["union_a1"],
            union=world.orgs["district_b"],
            upload=SimpleUploadedFile("r.csv", csv_bytes([person_row(1)])),
        )
    assert error.type.__name__ == "Http404"
    # A member has no import page at all.
    assert world.client("alice").get("/work/members/imports/").status_code == 403


def test_an_oversized_upload_is_refused_with_a_message(world, monkeypatch):
    monkeypatch.setattr(roster, "MAX_BYTES", 50)
    response = world.client("union_a1").post(
        "/work/members/imports/",
        {"union": world.orgs["union_a1"].pk, "file": SimpleUploadedFile("r.csv", csv_bytes([person_row(1)]))},
    )
    assert response.status_code == 200 and "MB" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_file_with_wrong_headers_says_which(world, django_capture_on_commit_callbacks):
    data = csv_bytes([["张三", id_number(1)]], headers=["名字", "证件"])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(
            actor=world.users["union_a1"],
            union=world.orgs["union_a1"],
            upload=SimpleUploadedFile("r.csv", data),
        )
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.INVALID
    page = world.client("union_a1").get(f"/work/members/imports/{upload.pk}/").content.decode()
    assert "身份证号" in page and 'data-testid="file-error"' in page


def test_the_template_downloads(world):
    response = world.client("union_a1").get("/work/members/imports/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_an_unexpected_failure_never_leaves_the_import_hanging(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    actor = world.users["union_a1"]
    data = csv_bytes([person_row(40, name="褚四十")])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(
            actor=actor, union=world.orgs["union_a1"], upload=SimpleUploadedFile("r.csv", data)
        )

    def broken(*args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(roster, "land", broken)
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=actor, roster=upload)
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.FAILED and upload.problems["file"]
    assert upload.commit_job.status == "failed" and not Person.objects.filter(name="褚四十").exists()


@translation.override("en")
def test_an_existing_person_file_is_reused_and_a_name_mismatch_is_an_error(
    world, django_capture_on_commit_callbacks
):
    actor = world.users["district_a"]
    carol = Person.objects.get(user=world.users["carol"])  # a rider with a file but no membership yet
    people = Person.objects.count()
    mismatch = csv_bytes([person_row(50, name="陈可可", 身份证号="31011519950618004X")])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(
            actor=actor, union=world.orgs["district_a"], upload=SimpleUploadedFile("a.csv", mismatch)
        )
    upload.refresh_from_db()
    assert upload.status == RosterImportStatus.INVALID
    assert "another name" in upload.problems["rows"][0]["messages"][0]
    good = csv_bytes([person_row(50, name="陈可乐", 身份证号="31011519950618004x")])
    with django_capture_on_commit_callbacks(execute=True):
        upload = roster.upload_roster(
            actor=actor, union=world.orgs["district_a"], upload=SimpleUploadedFile("b.csv", good)
        )
    with django_capture_on_commit_callbacks(execute=True):
        roster.commit_roster(actor=actor, roster=upload)
    assert Person.objects.count() == people
    membership = Membership.objects.get(person=carol)
    assert membership.union == world.orgs["district_a"]
    assert membership.events.get().kind == MembershipEventKind.IMPORTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_commits_of_the_same_roster_land_it_once():
    """Real threads, real transactions: a double tap on one import and a second upload of the same file,
    committed at the same moment by two cadres."""
    import threading

    from django.db import connection

    from gonghui.core.testing.personas import build_world

    world = build_world()
    union = world.orgs["union_a1"]
    data = csv_bytes([person_row(60 + i, name=f"并发{i}") for i in range(5)])
    first = roster.upload_roster(
        actor=world.users["union_a1"], union=union, upload=SimpleUploadedFile("a.csv", data)
    )
    second = roster.upload_roster(
        actor=world.users["district_a"], union=union, upload=SimpleUploadedFile("b.csv", data)
    )
    assert RosterImport.objects.filter(status=RosterImportStatus.READY).count() == 2
    outcomes, barrier = [], threading.Barrier(4)

    def commit(username, upload):
        try:
            barrier.wait()
            roster.commit_roster(actor=world.users[username], roster=upload)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=commit, args=args)
        for args in [("union_a1", first), ("union_a1", first), ("district_a", second), ("district_a", second)]
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(outcomes) == 4
    assert RosterImport.objects.filter(status=RosterImportStatus.COMMITTED).count() == 1
    assert Job.objects.filter(kind="members.roster_commit").count() == 1
    assert Membership.objects.filter(person__name__startswith="并发").count() == 5
