import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.accounts.models import User
from gonghui.orgs.models import Enterprise, Organization
from gonghui.orgs.services import create_organization


def test_demo_seed_is_idempotent(db, capsys):
    call_command("seed", "--demo")
    users, orgs = User.objects.count(), Organization.objects.count()
    call_command("seed", "--demo")
    assert (User.objects.count(), Organization.objects.count()) == (users, orgs)
    out = capsys.readouterr().out
    assert "already loaded" in out and "13800000003" in out and "district_a" in out


def test_demo_seed_refuses_a_database_with_real_data(db):
    create_organization(actor=None, parent=None, kind="city", name="真实的市总工会")
    with pytest.raises(CommandError, match="non-demo data"):
        call_command("seed", "--demo")
    assert not User.objects.exists()


def test_scale_seed_is_deterministic_and_valid(db):
    from stdnum.cn import uscc

    call_command("seed", "--scale", "300", "--seed", "7")
    first = list(Enterprise.objects.order_by("id").values_list("name", "uscc", "headcount"))
    assert len(first) == 300 and all(uscc.is_valid(code) for _, code, _ in first)
    assert len({code for _, code, _ in first}) == 300
    unions = Organization.objects.filter(kind="grassroots")
    assert unions.exists() and all(len(u.path) == 4 * (u.depth + 1) for u in unions[:50])
    Enterprise.objects.all().delete()
    Organization.objects.filter(kind="grassroots").delete()
    call_command("seed", "--scale", "300", "--seed", "7")
    again = list(Enterprise.objects.order_by("id").values_list("name", "uscc", "headcount"))
    assert [r[0] for r in again] == [r[0] for r in first] and [r[1] for r in again] == [r[1] for r in first]
