from gonghui.core.pagination import capped_count, keyset_page
from gonghui.orgs.models import Enterprise


def _walk(qs, sort, size):
    seen, cursor = [], None
    while True:
        page = keyset_page(qs, sort=sort, cursor=cursor, size=size)
        seen.extend(e.pk for e in page.items)
        if not page.next_cursor:
            return seen, page
        cursor = page.next_cursor


def test_walking_all_pages_visits_every_row_once_in_order(world):
    from django.core.management import call_command

    call_command("seed", "--scale", "120", "--seed", "3")
    qs = Enterprise.objects.all()
    seen, _ = _walk(qs, "name", 7)
    assert seen == list(qs.order_by("name", "pk").values_list("pk", flat=True))
    seen_desc, _ = _walk(qs, "-created_at", 11)
    assert seen_desc == list(qs.order_by("-created_at", "-pk").values_list("pk", flat=True))


def test_previous_page_returns_the_page_before(world):
    from django.core.management import call_command

    call_command("seed", "--scale", "40", "--seed", "4")
    qs = Enterprise.objects.all()
    first = keyset_page(qs, sort="name", cursor=None, size=5)
    second = keyset_page(qs, sort="name", cursor=first.next_cursor, size=5)
    back = keyset_page(qs, sort="name", cursor=second.prev_cursor, size=5)
    assert [e.pk for e in back.items] == [e.pk for e in first.items]


def test_forged_cursor_is_ignored(world):
    page = keyset_page(Enterprise.objects.all(), sort="name", cursor="not-a-cursor", size=3)
    assert len(page.items) == 3


def test_counts_are_capped(world):
    assert capped_count(Enterprise.objects.all(), cap=3) == (3, True)
    assert capped_count(Enterprise.objects.all(), cap=100) == (Enterprise.objects.count(), False)
