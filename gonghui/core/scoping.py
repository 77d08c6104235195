"""Organisation scoping: the one mechanism that decides which records a principal may see.

A principal (a signed-in user, or an API token acting for a partner system) answers ``scope_for(perm)``
with a :class:`Scope`. ``OrgScopedQuerySet.visible_to(principal, perm)`` turns it into one filter, using
the fields each model declares. core knows nothing of the organisation tree's models: it only reads
``path`` on whatever the declared fields point at.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    """What one principal reaches for one permission."""

    everything: bool = False
    paths: tuple[str, ...] = ()
    enterprise_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths and not self.enterprise_ids and self.user_id is None

    def covers_path(self, path: str | None) -> bool:
        if self.everything:
            return True
        return bool(path) and any(path.startswith(prefix) for prefix in self.paths)


NO_SCOPE = Scope()


def scope_of(principal, perm: str) -> Scope:
    if principal is None or not getattr(principal, "is_authenticated", False):
        return NO_SCOPE
    return principal.scope_for(perm)


def _path_q(lookup: str, paths: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}path__startswith": p}) for p in paths))


SUBTREE_LIST_LIMIT = 2000


def _organizations_in(model, field: str, paths: tuple[str, ...]):
    """The ids of the organisations in the subtrees: a literal list when it is short (a grassroots union's
    scope is one id, which lets the database walk the (organisation, date) index in order), else a subquery."""
    organizations = model._meta.get_field(field).related_model._base_manager.filter(_path_q("", paths))
    ids = list(organizations.values_list("pk", flat=True)[: SUBTREE_LIST_LIMIT + 1])
    return ids if len(ids) <= SUBTREE_LIST_LIMIT else organizations.values("pk")


class OrgScopedQuerySet(models.QuerySet):
    """Every org-owned model's queryset. Views and endpoints start from ``visible_to``, never ``all()``."""

    def visible_to(self, principal, perm: str, *, via: tuple[str, ...] | None = None, include_self: bool = True):
        """Records the principal may see. ``via`` narrows the reach to some of the model's organisation
        fields (an inbox shows what the organisation handles now, not what it once received), which lets
        the database walk one index in order instead of merging several."""
        scope = scope_of(principal, perm)
        if scope.everything:
            return self
        return self.filter(self.scope_q(scope, via=via, include_self=include_self))

    def scope_q(self, scope: Scope, *, via: tuple[str, ...] | None = None, include_self: bool = True) -> Q:
        model = self.model
        clauses = []
        org_fields = model.scope_org_fields if via is None else [f for f in model.scope_org_fields if f in via]
        if scope.paths:
            for name in org_fields:
                if not name:  # the organisation itself
                    clauses.append(_path_q("", scope.paths))
                elif "__" in name:
                    # A to-many hop (a person's memberships): a subquery, so rows are not repeated.
                    clause = _path_q(f"{name}__", scope.paths)
                    clauses.append(Q(pk__in=model._base_manager.filter(clause).values("pk")))
                else:
                    # A direct foreign key: compare ids with the (small) set of organisations in the subtrees,
                    # so the record's own (organisation, …) indexes serve the query instead of a join.
                    clauses.append(Q(**{f"{name}_id__in": _organizations_in(model, name, scope.paths)}))
        if scope.enterprise_ids and via is None:
            for name in getattr(model, "scope_enterprise_fields", ()):
                key = f"{name}_id__in" if name else "pk__in"
                clauses.append(Q(**{key: scope.enterprise_ids}))
        if scope.user_id is not None and via is None and include_self:
            for name in getattr(model, "scope_self_fields", ()):
                clauses.append(Q(**{name: scope.user_id}))
        if not clauses:
            return Q(pk__in=[])
        return reduce(or_, clauses)

    def get_visible_or_404(self, principal, perm: str, *, include_self: bool = True, **lookup):
        """The object if the principal may see it; 404 otherwise, so existence is not revealed."""
        try:
            return self.visible_to(principal, perm, include_self=include_self).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404


class OrgScopedManager(models.Manager.from_queryset(OrgScopedQuerySet)):
    pass


def assert_in_scope(obj, principal, perm: str, *, allow_self: bool = False) -> None:
    """Re-check, inside a write's transaction, that the object is still within the actor's scope. A staff
    permission reaches records through organisations only: being the person a record is about gives no
    right to act on it as staff (no approving one's own application)."""
    manager = type(obj)._default_manager
    if not manager.visible_to(principal, perm, include_self=allow_self).filter(pk=obj.pk).exists():
        raise Http404
