"""Detection: hot topics (clusters by enterprise and category), bursts (volume against its own recent baseline),
the timeline, and alerts (per-text severity combined with volume rules over a cluster)."""

from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.monitoring.choices import AlertScope, AlertStatus, Category, max_severity, severity_at_least
from gonghui.monitoring.models import Alert, AlertRule, MonitoringPolicy, PostTag

# Which category names a single severe post's alert when it raises several issues.
PRIORITY = ["collective_action", "enterprise_closure", "injury_safety", "wage_arrears", "dismissal_layoff",
            "social_insurance", "contract", "overtime_hours", "discrimination"]
BURST_FACTOR = 3.0
BURST_MIN = 3
BASELINE_DAYS = 7


def hot_topics(tags, *, since, limit=10) -> list[dict]:
    """The biggest (enterprise, category) clusters since a time; near duplicates are not in ``tags``."""
    rows = (tags.filter(published_at__gte=since, enterprise__isnull=False)
            .values("enterprise_id", "enterprise__name", "category").annotate(n=Count("post", distinct=True))
            .order_by("-n", "enterprise_id")[:limit])
    labels = dict(Category.choices)
    return [{"enterprise_id": r["enterprise_id"], "enterprise": r["enterprise__name"], "category": r["category"],
             "category_label": str(labels.get(r["category"], r["category"])), "count": r["n"]} for r in rows]


def bursts(tags, *, dimension: str, now=None, limit=10) -> list[dict]:
    """Clusters whose last 24 hours exceed BURST_FACTOR × their own daily average over the week before.
    ``dimension`` is "enterprise", "region" or "category"."""
    now = now or timezone.now()
    field = {"enterprise": "enterprise__name", "region": "region__name", "category": "category"}[dimension]
    since = now - timedelta(days=BASELINE_DAYS + 1)
    day = now - timedelta(days=1)
    current = {r[field]: r["n"] for r in tags.filter(published_at__gte=day).exclude(**{f"{field}__isnull": True})
               .values(field).annotate(n=Count("post", distinct=True))}
    before = {r[field]: r["n"] for r in tags.filter(published_at__gte=since, published_at__lt=day)
              .exclude(**{f"{field}__isnull": True}).values(field).annotate(n=Count("post", distinct=True))}
    labels = dict(Category.choices)
    out = []
    for key, count in current.items():
        baseline = before.get(key, 0) / BASELINE_DAYS
        if count >= BURST_MIN and count >= BURST_FACTOR * max(baseline, 1 / BASELINE_DAYS):
            name = str(labels.get(key, key)) if dimension == "category" else key
            out.append({"key": name, "count": count, "baseline": round(baseline, 2),
                        "ratio": round(count / baseline, 1) if baseline else None})
    return sorted(out, key=lambda b: -b["count"])[:limit]


def timeline(tags, *, days=14, now=None) -> dict:
    """Daily volume per category over the last ``days`` days, for the ECharts timeline."""
    now = now or timezone.now()
    start = timezone.localdate(now) - timedelta(days=days - 1)
    rows = (tags.filter(published_at__gte=now - timedelta(days=days)).annotate(day=TruncDate("published_at"))
            .values("day", "category").annotate(n=Count("post", distinct=True)))
    series = defaultdict(lambda: [0] * days)
    for r in rows:
        i = (r["day"] - start).days
        if 0 <= i < days:
            series[r["category"]][i] += r["n"]
    labels = dict(Category.choices)
    return {"type": "line", "labels": [(start + timedelta(days=i)).strftime("%m-%d") for i in range(days)],
            "series": [{"name": str(labels.get(c, c)), "values": v} for c, v in sorted(series.items())]}


# --- alerts -------------------------------------------------------------------------------------------------

def _cluster_key(scope: str, ident, category: str) -> str:
    return f"{scope[0]}{ident}:{category}"


def raise_alert(*, key: str, category: str, severity: str, reason: str, posts, enterprise_id=None, region_id=None,
                owner_organization_id, rule=None, post_count=None) -> Alert:
    """Raise or strengthen the open alert for a cluster; open a warning case when it reaches the policy's level."""
    policy = MonitoringPolicy.current()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                alert = Alert.objects.select_for_update().filter(key=key, status__in=[
                    AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]).first()
                news = alert is None  # created, or raised to a higher level: the people on duty hear of it
                if alert is None:
                    alert = Alert.objects.create(
                        key=key, category=category, enterprise_id=enterprise_id, region_id=region_id,
                        owner_organization_id=owner_organization_id, severity=severity, reason=reason[:300],
                        rule=rule, post_count=post_count or len(posts))
                    audit.record(actor=None, action="monitoring.alert", obj=alert,
                                 after={"severity": severity, "key": key})
                else:
                    stronger = max_severity(alert.severity, severity)
                    if stronger != alert.severity:
                        audit.record(actor=None, action="monitoring.alert_raised", obj=alert,
                                     before={"severity": alert.severity}, after={"severity": stronger})
                        alert.severity, alert.reason = stronger, reason[:300]
                        news = True
                    alert.rule = rule or alert.rule
                    if post_count is not None:
                        alert.post_count = max(alert.post_count, post_count)
                    alert.updated_at = timezone.now()
                    alert.save()
                alert.posts.add(*posts)
                if post_count is None:  # a text alert counts the posts linked to it
                    alert.post_count = max(alert.post_count, alert.posts.count())
                    Alert.objects.filter(pk=alert.pk).update(post_count=alert.post_count)
                if alert.warning_id is None and severity_at_least(alert.severity, policy.warning_threshold):
                    from gonghui.monitoring.warnings import open_warning

                    open_warning(alert=alert)  # notifies the people on duty itself
                elif news and alert.warning_id is None:
                    _notify_alert(alert)
                return alert
        except IntegrityError:
            continue  # another worker created the open alert for this key first: strengthen that one
    raise RuntimeError(f"could not raise alert {key}")


def _notify_alert(alert: Alert) -> None:
    """An alert below the warning threshold: the people on duty at the covering union hear of it after commit."""
    from gonghui.core.notifications import notify
    from gonghui.monitoring.warnings import covering_union, on_duty

    title = _("%(level)s alert: %(category)s") % {"level": alert.get_severity_display(),
                                                  "category": alert.get_category_display()}
    body = alert.reason
    for person in on_duty(covering_union(alert)):
        transaction.on_commit(lambda p=person: notify(p, title, body, url="/work/monitoring/alerts/"))


def evaluate_alerts(*, posts, now=None) -> list[Alert]:
    """Check new first posts against the per-text threshold and every active volume rule."""
    if not posts:
        return []
    now = now or timezone.now()
    policy = MonitoringPolicy.current()
    raised = []
    severe = {}  # one raise per cluster and batch, however many severe posts it holds
    for post in posts:
        if post.categories and severity_at_least(post.severity, policy.text_alert_threshold):
            scope, ident = ("enterprise", post.enterprise_id) if post.enterprise_id else ("district", post.region_id)
            if ident is None:
                continue
            category = min(post.categories, key=lambda c: PRIORITY.index(c) if c in PRIORITY else len(PRIORITY))
            key = _cluster_key(scope, ident, category)
            entry = severe.setdefault(key, {"category": category, "posts": [], "worst": post})
            entry["posts"].append(post)
            if max_severity(entry["worst"].severity, post.severity) != entry["worst"].severity:
                entry["worst"] = post
    for key, entry in severe.items():
        worst = entry["worst"]
        raised.append(raise_alert(
            key=key, category=entry["category"], severity=worst.severity,
            reason=_("One post alone is %(level)s: %(text)s") % {"level": worst.get_severity_display(),
                                                                 "text": worst.text[:80]},
            posts=entry["posts"], enterprise_id=worst.enterprise_id, region_id=worst.region_id,
            owner_organization_id=worst.owner_organization_id))
    clusters: dict[tuple, list] = {}
    for post in posts:
        for category in post.categories:
            if post.enterprise_id:
                clusters.setdefault((AlertScope.ENTERPRISE, post.enterprise_id, category), []).append(post)
            if post.region_id:
                clusters.setdefault((AlertScope.DISTRICT, post.region_id, category), []).append(post)
    open_keys = set(Alert.objects.exclude(status=AlertStatus.CLOSED).filter(
        key__in=[_cluster_key(*c) for c in clusters]).values_list("key", flat=True))
    for rule in AlertRule.objects.filter(is_active=True):
        for (scope, ident, category), members in clusters.items():
            if scope != rule.scope or (rule.category and rule.category != category):
                continue
            field = "enterprise_id" if scope == AlertScope.ENTERPRISE else "region_id"
            window = PostTag.objects.filter(**{field: ident}, category=category,
                                            published_at__gte=now - timedelta(hours=rule.window_hours))
            count = window.values("post").distinct().count()
            if count < rule.min_posts:
                continue
            key = _cluster_key(scope, ident, category)
            # A new alert links the window's posts; an open one only gains this batch's.
            post_ids = [p.pk for p in members] if key in open_keys else list(
                window.values_list("post_id", flat=True)[:200])
            sample = members[0]
            raised.append(raise_alert(
                key=key, category=category, severity=rule.severity,
                reason=_("%(rule)s: %(n)s posts in %(h)s hours") % {"rule": rule.name, "n": count,
                                                                    "h": rule.window_hours},
                posts=post_ids, enterprise_id=sample.enterprise_id if scope == AlertScope.ENTERPRISE else None,
                region_id=sample.region_id, rule=rule, post_count=count,
                owner_organization_id=sample.owner_organization_id if scope == AlertScope.ENTERPRISE
                else _district_owner(sample)))
            open_keys.add(key)
    return raised


def _district_owner(post) -> int:
    from gonghui.orgs.choices import OrgKind
    from gonghui.orgs.models import Organization

    district = Organization.objects.filter(kind=OrgKind.DISTRICT_UNION, region_id=post.region_id).first()
    return district.pk if district else post.owner_organization_id
