"""Reads of member files, always through ``visible_to``."""

import re

from gonghui.core.crypto import blind_index
from gonghui.members.choices import CURRENT_STATUSES, MembershipStatus
from gonghui.members.models import Membership, MembershipEvent, RosterImport
from gonghui.orgs.models import Organization

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
MOBILE = re.compile(r"^1\d{10}$")
SEARCH_COUNT_CAP = 1000
MEMBER_NUMBER = re.compile(r"^(?=.*\d)[0-9A-Za-z-]{4,24}$")


def search_filter(query: str) -> dict:
    """What a search box query means: an ID number (exact, through the blind index), a mobile number, a
    member number, or the start of a name (an index range, so it costs the same at any table size)."""
    query = "".join(query.split())
    if not query:
        return {}
    if ID_NUMBER.match(query):
        return {"person__id_number_bidx": blind_index(query)}
    if MOBILE.match(query):
        return {"person__mobile": query}
    if MEMBER_NUMBER.match(query):
        return {"member_number": query.upper()}
    return {"person__name__startswith": query}


def list_members(
    principal, *, query: str = "", union=None, status: str = "current", employment_form: str = ""
):
    """Memberships in the principal's scope, with the person and union, newest first by id."""
    # Staff lists reach members through their unions; a cadre's own file is not a reason to list it.
    qs = Membership.objects.visible_to(principal, "members.view", include_self=False).select_related(
        "person", "union"
    )
    if status == "current" or not status:
        qs = qs.filter(status__in=CURRENT_STATUSES)
    elif status in MembershipStatus.values:
        qs = qs.filter(status=status)
    if union is not None:
        qs = qs.filter(union__path__startswith=union.path)
    if employment_form:
        qs = qs.filter(person__employment_form=employment_form)
    return qs.filter(**search_filter(query))


def member_unions(principal):
    """The organisations a member list can be narrowed to."""
    return Organization.objects.visible_to(principal, "members.view").filter(is_active=True).order_by("path")


def history_of(principal, membership):
    """The person's membership events that the principal may see, oldest first."""
    return (
        MembershipEvent.objects.visible_to(principal, "members.view")
        .filter(person_id=membership.person_id)
        .select_related("union", "actor")
        .order_by("at", "pk")
    )


def list_imports(principal):
    return RosterImport.objects.visible_to(principal, "members.import").select_related("union", "uploaded_by")
