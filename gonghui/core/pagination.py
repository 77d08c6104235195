"""Keyset pagination: the cost of page 1,000 equals the cost of page 1, at any table size.

Pages are ordered by (sort field, id); the cursor is the last row's pair, signed so it can't be forged
into an arbitrary filter. Counts are capped so a list never scans the whole table to print a number.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Q

COUNT_CAP = 10_000
_SALT = "gonghui.keyset"


@dataclass
class Page:
    items: list
    next_cursor: str | None
    prev_cursor: str | None
    count: int
    count_capped: bool

    @property
    def count_label(self) -> str:
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def _encode(value, pk, direction) -> str:
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return signing.dumps([value, pk, direction], salt=_SALT, compress=True)


def _decode(cursor: str):
    try:
        value, pk, direction = signing.loads(cursor, salt=_SALT)
        return value, int(pk), direction
    except (signing.BadSignature, ValueError, TypeError):
        return None


def keyset_page(queryset, *, sort: str, cursor: str | None, size: int, with_count: bool = True,
                count_cap: int = COUNT_CAP) -> Page:
    """One page of ``queryset`` ordered by (sort, pk); ``-field`` sorts newest first. The field is non-null."""
    descending = sort.startswith("-")
    field = sort.lstrip("-")
    count, capped = capped_count(queryset, count_cap) if with_count else (0, False)
    decoded = _decode(cursor) if cursor else None
    backwards = bool(decoded and decoded[2] == "prev")
    if decoded:
        value, pk, _ = decoded
        after = "lt" if descending != backwards else "gt"
        # (field >= value) AND (field > value OR pk > last pk): the first term lets the database start
        # the index scan at the cursor instead of walking the index from the beginning.
        queryset = queryset.filter(
            Q(**{f"{field}__{after}e": value}),
            Q(**{f"{field}__{after}": value}) | Q(**{field: value, f"pk__{after}": pk}),
        )
    ascending = descending == backwards
    order = (field, "pk") if ascending else (f"-{field}", "-pk")
    rows = list(queryset.order_by(*order)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    next_cursor = prev_cursor = None
    if rows:
        first, last = rows[0], rows[-1]
        if has_more or backwards:
            next_cursor = _encode(_value(last, field), last.pk, "next")
        if decoded and (not backwards or has_more):
            prev_cursor = _encode(_value(first, field), first.pk, "prev")
    return Page(rows, next_cursor, prev_cursor, count, capped)


def _value(obj, sort: str):
    value = obj
    for part in sort.split("__"):
        value = getattr(value, part)
    return value
