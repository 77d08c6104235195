"""Targets (set by the level above for the levels below) and the figures that measure them.

Every figure is an aggregate over a subtree: organisations are addressed by their materialised path, so
"per child organisation" is one GROUP BY over the first characters of the path — one query however many
members, unions or children there are, and no Python loop over rows."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.scoping import scope_of
from gonghui.members.choices import CURRENT_STATUSES, EmploymentForm, MembershipStatus
from gonghui.members.models import Membership
from gonghui.organizing.establishment import ESTABLISHMENT_THRESHOLD
from gonghui.organizing.models.establishment import CaseStatus, EstablishmentCase
from gonghui.organizing.models.targets import Target, TargetGroup, TargetMetric, employment_forms_of
from gonghui.orgs.models import PATH_STEP, Enterprise, Organization

NEW_EMPLOYMENT_FORMS = employment_forms_of(TargetGroup.NEW_EMPLOYMENT)
WEEKS_SHOWN = 26


# ---------------------------------------------------------------------------------------------- writes


def can_set_for(actor, organization: Organization) -> bool:
    """Targets are set from above: the actor's target scope must reach the organisation's parent (for the
    city federation at the top, the city itself)."""
    if not actor.has_gonghui_perm("organizing.targets"):
        return False
    scope = scope_of(actor, "organizing.targets")
    if organization.parent_id is None:
        return scope.everything
    return scope.covers_path(organization.path[:-PATH_STEP])


def settable_organizations(actor):
    """The organisations the actor may set targets for: strictly below its own, or the top for the city."""
    qs = Organization.objects.visible_to(actor, "organizing.targets")
    scope = scope_of(actor, "organizing.targets")
    if scope.everything:
        return qs
    own = [p for p in scope.paths]
    return qs.exclude(path__in=own)


def _clean(year, metric, group, value):
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if metric not in TargetMetric.values:
        errors["metric"] = _("Choose what the target measures.")
    if group not in TargetGroup.values:
        errors["group"] = _("Choose a group.")
    elif metric in (TargetMetric.UNIONS_ESTABLISHED, TargetMetric.ESTABLISHMENT_RATE) and group != TargetGroup.ALL:
        errors["group"] = _("Establishment targets count unions, not groups of workers: choose “All workers”.")
    if not isinstance(value, int) or value < 1:
        errors["value"] = _("The target must be a whole number of at least 1.")
    elif metric == TargetMetric.ESTABLISHMENT_RATE and value > 100:
        errors["value"] = _("A rate is at most 100 (%).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_target(*, actor, organization: Organization, year: int, metric: str, group: str = TargetGroup.ALL,
               value: int, note: str = "") -> Target:
    """Create or change the organisation's target for the year (one per measure and group)."""
    if not actor.has_gonghui_perm("organizing.targets"):
        raise PermissionDenied
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not can_set_for(actor, organization):
        if scope_of(actor, "organizing.targets").covers_path(organization.path):
            raise ValidationError({"organization": _(
                "Targets are set by the level above: ask the organisation above yours to set this one.")})
        raise Http404
    _clean(year, metric, group, value)
    note = " ".join((note or "").split())
    if len(note) > 200:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": 200}})
    target = Target.objects.select_for_update().filter(
        organization=organization, year=year, metric=metric, group=group).first()
    if target is None:
        target = Target.objects.create(organization=organization, year=year, metric=metric, group=group,
                                       value=value, note=note, set_by=actor)
        audit.record(actor=actor, action="target.set", obj=target, after=audit.snapshot(target))
        return target
    before = audit.snapshot(target, ["value", "note"])
    target.value, target.note, target.set_by, target.set_at = value, note, actor, timezone.now()
    target.save(update_fields=["value", "note", "set_by", "set_at"])
    old, new = audit.diff(before, audit.snapshot(target, ["value", "note"]))
    audit.record(actor=actor, action="target.change", obj=target, before=old, after=new)
    return target


@transaction.atomic
def delete_target(*, actor, target: Target) -> None:
    target = Target.objects.select_for_update().select_related("organization").filter(pk=target.pk).first()
    if target is None or not can_set_for(actor, target.organization):
        raise Http404
    audit.record(actor=actor, action="target.delete", obj=target, before=audit.snapshot(target))
    target.delete()


# ---------------------------------------------------------------------------------------------- figures


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _common_prefix(paths: list[str]) -> str:
    """The longest whole-step path prefix shared by all paths (narrows the scan to one subtree)."""
    first, last = min(paths), max(paths)
    n = 0
    while n < len(first) and n < len(last) and first[n] == last[n]:
        n += 1
    return first[: n - n % PATH_STEP]


def _by_subtree(queryset, path_field: str, organizations, **aggregates) -> dict[int, dict]:
    """``aggregates`` per organisation's subtree, one GROUP BY per path length: {org id: {name: value}}."""
    result = {o.pk: dict.fromkeys(aggregates, 0) for o in organizations}
    by_length = defaultdict(dict)
    for org in organizations:
        by_length[len(org.path)][org.path] = org.pk
    for length, wanted in by_length.items():
        rows = (
            queryset.filter(**{f"{path_field}__startswith": _common_prefix(list(wanted))})
            .annotate(prefix=Substr(path_field, 1, length))
            .order_by().values("prefix").annotate(**aggregates)
        )
        for row in rows:
            pk = wanted.get(row["prefix"])
            if pk is not None:
                result[pk] = {name: row[name] or 0 for name in aggregates}
    return result


def joined(year: int, group: str = TargetGroup.ALL):
    """Memberships that began in the year (a transfer's old side left out, so a member counts once)."""
    start, end = year_bounds(year)
    qs = Membership.objects.filter(joined_on__gte=start, joined_on__lt=end).exclude(
        status=MembershipStatus.TRANSFERRED)
    forms = employment_forms_of(group)
    if forms is not None:
        qs = qs.filter(person__employment_form__in=forms)
    return qs


def actuals(metric: str, group: str, year: int, organizations) -> dict[int, float | int | None]:
    """The measured value of one measure for each organisation's subtree."""
    organizations = list(organizations)
    if not organizations:
        return {}
    if metric == TargetMetric.MEMBERS_JOINED:
        rows = _by_subtree(joined(year, group), "union__path", organizations, n=Count("id"))
        return {pk: row["n"] for pk, row in rows.items()}
    if metric == TargetMetric.UNIONS_ESTABLISHED:
        start, end = year_bounds(year)
        cases = EstablishmentCase.objects.filter(status=CaseStatus.ESTABLISHED, decided_at__date__gte=start,
                                                 decided_at__date__lt=end)
        rows = _by_subtree(cases, "owner_organization__path", organizations, n=Count("id"))
        return {pk: row["n"] for pk, row in rows.items()}
    rows = _by_subtree(_big_enterprises(), "owner_organization__path", organizations,
                       total=Count("id"), with_union=Count("id", filter=Q(union__isnull=False)))
    return {pk: _rate(row["with_union"], row["total"]) for pk, row in rows.items()}


def _big_enterprises():
    return Enterprise.objects.filter(is_active=True, headcount__gte=ESTABLISHMENT_THRESHOLD)


def _rate(part: int, total: int) -> float | None:
    return round(100 * part / total, 1) if total else None


def progress(targets) -> list[dict]:
    """Each target with its measured value and the share reached (capped at 100 for the bar)."""
    targets = list(targets)
    batches = defaultdict(list)
    for target in targets:
        batches[(target.metric, target.group, target.year)].append(target.organization)
    measured = {}
    for (metric, group, year), organizations in batches.items():
        for pk, value in actuals(metric, group, year, {o.pk: o for o in organizations}.values()).items():
            measured[(metric, group, year, pk)] = value
    rows = []
    for target in targets:
        actual = measured.get((target.metric, target.group, target.year, target.organization_id))
        share = round(100 * (actual or 0) / target.value, 1)
        rows.append({"target": target, "actual": actual, "share": share, "bar": min(100, round(share))})
    return rows


def list_targets(principal, *, year: int | None = None):
    qs = Target.objects.visible_to(principal, "members.view").select_related("organization", "set_by")
    if year:
        qs = qs.filter(year=year)
    return qs


def overview(organization: Organization, children, *, year: int, today: date | None = None) -> dict:
    """The dashboard's figures for an organisation's subtree and, side by side, each child's subtree.

    Three queries whatever the size: one pass over the subtree's memberships grouped by (child, employment
    form) gives the totals, the groups and the children; one over the weeks shown; one over the enterprises."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    children = list(children)
    length = len(organization.path) + PATH_STEP
    child_of = {child.path: child.pk for child in children}
    # At the top every membership is in the subtree: no path filter, so the database reads memberships in order.
    members = Membership.objects.all() if organization.parent_id is None else Membership.objects.filter(
        union__path__startswith=organization.path)
    current = Q(status__in=CURRENT_STATUSES)
    joined_in_year = Q(joined_on__gte=start, joined_on__lt=end) & ~Q(status=MembershipStatus.TRANSFERRED)
    rows = (
        members.annotate(prefix=Substr("union__path", 1, length)).order_by()
        .values("prefix", "person__employment_form")
        .annotate(current=Count("id", filter=current), joined=Count("id", filter=joined_in_year))
    )
    totals = {"current": 0, "gig": 0, "joined": 0}
    direct = {"current": 0, "gig": 0, "joined": 0}  # members held by the organisation itself (or a hidden child)
    per_child = {child.pk: {"current": 0, "gig": 0, "joined": 0} for child in children}
    by_form = Counter()
    for row in rows:  # one row per (child, employment form): a few hundred at most
        is_gig = row["person__employment_form"] != EmploymentForm.EMPLOYEE
        figures = [totals, per_child[child_of[row["prefix"]]] if row["prefix"] in child_of else direct]
        for figure in figures:
            figure["current"] += row["current"]
            figure["joined"] += row["joined"]
            figure["gig"] += row["current"] if is_gig else 0
        by_form[row["person__employment_form"]] += row["current"]
    enterprise_rows = (
        _big_enterprises().filter(owner_organization__path__startswith=organization.path)
        .annotate(prefix=Substr("owner_organization__path", 1, length)).order_by().values("prefix")
        .annotate(total=Count("id"), with_union=Count("id", filter=Q(union__isnull=False)))
    )
    rate_total = {"total": 0, "with_union": 0}
    rate_per_child = {child.pk: {"total": 0, "with_union": 0} for child in children}
    for row in enterprise_rows:
        for figure in [rate_total] + ([rate_per_child[child_of[row["prefix"]]]] if row["prefix"] in child_of else []):
            figure["total"] += row["total"]
            figure["with_union"] += row["with_union"]
    first_week = today - timedelta(days=today.weekday() + 7 * (WEEKS_SHOWN - 1))
    # Grouped by day (at most 182 rows), bucketed into weeks here: no per-row date function in the database.
    daily = (
        members.filter(joined_on__gte=first_week, joined_on__lte=today).exclude(status=MembershipStatus.TRANSFERRED)
        .order_by().values_list("joined_on").annotate(n=Count("id"))
    )
    weekly = Counter()
    for day, n in daily:
        weekly[day - timedelta(days=day.weekday())] += n
    weeks = [first_week + timedelta(weeks=i) for i in range(WEEKS_SHOWN)]
    return {
        "totals": totals,
        "direct": direct,
        "rate": {**rate_total, "rate": _rate(rate_total["with_union"], rate_total["total"])},
        "children": [
            {"org": child, **per_child[child.pk], **rate_per_child[child.pk],
             "rate": _rate(rate_per_child[child.pk]["with_union"], rate_per_child[child.pk]["total"])}
            for child in children
        ],
        "by_form": [{"code": code, "label": str(label), "n": by_form.get(code, 0)}
                    for code, label in EmploymentForm.choices],
        "weeks": [{"week": w, "n": weekly.get(w, 0)} for w in weeks],
    }
