"""Turning role organisations into a Scope: their subtrees, plus what their coverage links reach."""

from gonghui.core.scoping import Scope
from gonghui.orgs.models import Coverage


def _collapse(paths: set[str]) -> tuple[str, ...]:
    """Drop paths already inside another path of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


def build_scope(organizations, user_id: int | None = None) -> Scope:
    organizations = [o for o in organizations if o is not None]
    if any(o.depth == 0 for o in organizations):
        return Scope(everything=True, user_id=user_id)
    paths = {o.path for o in organizations}
    enterprise_ids: set[int] = set()
    if paths:
        from django.db.models import Q

        covering = Q()
        for path in paths:
            covering |= Q(covering__path__startswith=path)
        links = Coverage.objects.filter(covering).values_list(
            "target_organization__path", "target_enterprise_id", "target_enterprise__union__path"
        )
        for org_path, enterprise_id, union_path in links:
            if org_path:
                paths.add(org_path)
            if enterprise_id:
                enterprise_ids.add(enterprise_id)
            if union_path:
                paths.add(union_path)
    return Scope(paths=_collapse(paths), enterprise_ids=frozenset(enterprise_ids), user_id=user_id)
