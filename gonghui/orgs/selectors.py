"""Reads about organisations and enterprises, always through visible_to."""

from django.db.models import Count

from gonghui.core import search
from gonghui.orgs.models import Coverage, Enterprise, Organization


def list_organizations(user, *, query: str = "", kind: str = "", limit: int = 500):
    qs = Organization.objects.visible_to(user, "orgs.view").select_related("parent", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = search.filter_ranked(qs, "organization", query, limit=limit)
    return qs


def list_enterprises(user, *, query: str = "", region: str = "", size_class: str = "", has_union: str = "",
                     limit: int = 500):
    qs = Enterprise.objects.visible_to(user, "enterprises.view").select_related("region", "industry", "union")
    if region:
        qs = qs.filter(region_id=region)
    if size_class:
        qs = qs.filter(size_class=size_class)
    if has_union == "yes":
        qs = qs.filter(union__isnull=False)
    elif has_union == "no":
        qs = qs.filter(union__isnull=True)
    if query:
        qs = search.filter_ranked(qs, "enterprise", query, limit=limit)
    return qs


def list_coverage(user):
    return (
        Coverage.objects.visible_to(user, "orgs.view")
        .select_related("covering", "target_organization", "target_enterprise")
        .order_by("covering__path", "id")
    )


def tree_for(user):
    """The visible organisations as nested nodes: roots are those whose parent is not visible."""
    orgs = list(Organization.objects.visible_to(user, "orgs.view").select_related("region").order_by("path"))
    by_id = {o.pk: {"org": o, "children": []} for o in orgs}
    roots = []
    for org in orgs:
        node = by_id[org.pk]
        if org.parent_id in by_id:
            by_id[org.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def organizations_by_kind_and_region(user):
    qs = Organization.objects.visible_to(user, "dashboard.view")
    by_kind = list(qs.values("kind").annotate(n=Count("id")).order_by("kind"))
    by_region = list(
        qs.exclude(region__isnull=True).values("region__name").annotate(n=Count("id")).order_by("-n")[:20]
    )
    return by_kind, by_region
