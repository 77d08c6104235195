"""Which union handles a request. A domain app may register its own router for its service; the
default climbs from the applicant's union (or the organisation the request names) to the service's level."""

from collections.abc import Callable

from gonghui.hall.choices import HandlingLevel
from gonghui.members.choices import CURRENT_STATUSES
from gonghui.members.models import Membership, Person
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Organization

_ROUTERS: dict[str, Callable] = {}

LEVEL_KINDS = {
    HandlingLevel.GRASSROOTS: {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION},
    HandlingLevel.STREET: {OrgKind.STREET_FEDERATION, OrgKind.PARK_FEDERATION, OrgKind.BUILDING_FEDERATION,
                           OrgKind.PROJECT_FEDERATION},
    HandlingLevel.DISTRICT: {OrgKind.DISTRICT_UNION, OrgKind.INDUSTRY_UNION},
    HandlingLevel.CITY: {OrgKind.CITY_FEDERATION},
}
_ORDER = [HandlingLevel.GRASSROOTS, HandlingLevel.STREET, HandlingLevel.DISTRICT, HandlingLevel.CITY]


def register_router(service_code: str):
    def decorator(func):
        _ROUTERS[service_code] = func
        return func

    return decorator


def climb(org: Organization, level: str) -> Organization:
    """The nearest organisation at or above ``org`` whose kind belongs to ``level`` (or a higher level)."""
    wanted = set().union(*(LEVEL_KINDS[lv] for lv in _ORDER[_ORDER.index(level):]))
    chain = Organization.objects.filter(path__in=[org.path[: 4 * i] for i in range(1, org.depth + 2)])
    for candidate in sorted(chain, key=lambda o: -o.depth):
        if candidate.kind in wanted:
            return candidate
    return org


def home_organization(user) -> Organization | None:
    """The union that holds the user's real-name file, for applicants who are not members yet."""
    if user is None:
        return None
    person = Person.objects.filter(user=user).select_related("owner_organization").first()
    return person.owner_organization if person else None


def current_union(user) -> Organization | None:
    if user is None:
        return None
    membership = (
        Membership.objects.filter(person__user=user, status__in=CURRENT_STATUSES).select_related("union").first()
    )
    return membership.union if membership else None


def route(service_type, *, applicant=None, organization: Organization | None = None) -> Organization:
    router = _ROUTERS.get(service_type.code)
    if router is not None:
        return router(service_type, applicant=applicant, organization=organization)
    start = organization or current_union(applicant) or home_organization(applicant)
    if start is None:
        start = Organization.objects.get(parent__isnull=True)
    return climb(start, service_type.handling_level)
