"""Writes in monitoring other than ingestion and warnings: sources, schemes, alerts, 网评员 tasks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.monitoring import engine
from gonghui.monitoring.choices import AlertStatus, SourceKind, TaskKind, TaskStatus
from gonghui.monitoring.models import Alert, CommentTask, CommentTeam, Post, Scheme, Source

MAX_TERMS = 200
MAX_TERM_LENGTH = 30
PREVIEW_POSTS = 2000


def _require(actor, perm: str, organization) -> None:
    if not actor.has_gonghui_perm(perm):
        raise PermissionDenied
    assert_in_scope(organization, actor, perm)


@transaction.atomic
def create_source(*, actor, organization, code: str, name: str, kind: str, url: str = "",
                  interval_minutes: int = 30) -> Source:
    _require(actor, "monitoring.manage", organization)
    errors = {}
    if kind not in (SourceKind.PUSH, SourceKind.FEED, SourceKind.UPLOAD):
        errors["kind"] = _("Internal channels are created by the system.")
    if kind == SourceKind.FEED and not url.startswith(("http://", "https://")):
        errors["url"] = _("A feed needs its http(s) address.")
    if Source.objects.filter(code=code).exists():
        errors["code"] = _("This code is taken.")
    if errors:
        raise ValidationError(errors)
    source = Source.objects.create(code=code, name=name, kind=kind, owner_organization=organization,
                                   url=url if kind == SourceKind.FEED else "", interval_minutes=interval_minutes)
    audit.record(actor=actor, action="monitoring.source_create", obj=source,
                 after={"code": code, "kind": kind, "url": source.url})
    return source


# --- schemes ------------------------------------------------------------------------------------------------

def clean_terms(raw, field: str, errors: dict) -> list[str]:
    """Terms from a textarea (one per line, or separated by commas / 、 / spaces), checked one by one."""
    if isinstance(raw, str):
        for sep in ("，", ",", "、", "\n", "\r", "\t", " ", "\u3000"):
            raw = raw.replace(sep, "\n")
        raw = raw.split("\n")
    terms, seen = [], set()
    for term in raw or []:
        term = str(term).strip()
        if not term or term in seen:
            continue
        seen.add(term)
        if len(term) > MAX_TERM_LENGTH:
            errors.setdefault(field, []).append(_("“%(term)s…” is longer than %(n)s characters.") % {
                "term": term[:10], "n": MAX_TERM_LENGTH})
        terms.append(term)
    if len(terms) > MAX_TERMS:
        errors.setdefault(field, []).append(_("At most %(n)s words per group.") % {"n": MAX_TERMS})
    return terms


def build_scheme(*, name: str, organization, region_terms, subject_terms, event_terms, exclude_terms,
                 any_of: bool = False, window: int = 0) -> tuple[Scheme, object, list[str]]:
    """Validate the form's fields and compile the scheme; returns (unsaved scheme, compiled, warnings).
    Raises ValidationError with a message per field."""
    errors: dict = {}
    scheme = Scheme(
        name=(name or "").strip()[:80], owner_organization=organization,
        region_terms=clean_terms(region_terms, "region_terms", errors),
        subject_terms=clean_terms(subject_terms, "subject_terms", errors),
        event_terms=clean_terms(event_terms, "event_terms", errors),
        exclude_terms=clean_terms(exclude_terms, "exclude_terms", errors), any_of=bool(any_of), window=window or 0)
    if not scheme.name:
        errors.setdefault("name", []).append(_("Give the scheme a name."))
    if not (scheme.region_terms or scheme.subject_terms or scheme.event_terms):
        errors.setdefault("event_terms", []).append(_("Fill at least one group of words to look for."))
    if not 0 <= scheme.window <= 500:
        errors.setdefault("window", []).append(_("The window is 0 (anywhere in the text) to 500 characters."))
    if errors:
        raise ValidationError(errors)
    try:
        compiled = engine.compile_scheme(scheme)
    except engine.nlp.SchemeError as error:
        raise ValidationError(error.field_errors)
    return scheme, compiled, [engine.scheme_text(w) for w in compiled.warnings()]


def preview_scheme(compiled, posts) -> tuple[int, list]:
    """How many of the given recent posts the scheme matches, and the first few."""
    matched, examples = 0, []
    for post in posts:
        if compiled.match(f"{post.title}\n{post.text}" if post.title else post.text):
            matched += 1
            if len(examples) < 10:
                examples.append(post)
    return matched, examples


def recent_posts(actor, limit=PREVIEW_POSTS):
    return list(Post.objects.visible_to(actor, "monitoring.view").filter(duplicate_of__isnull=True)
                .order_by("-published_at", "-id")[:limit])


@transaction.atomic
def save_scheme(*, actor, organization, confirm_warnings: bool = False, **fields) -> Scheme:
    _require(actor, "monitoring.manage", organization)
    scheme, _compiled, warnings = build_scheme(organization=organization, **fields)
    if warnings and not confirm_warnings:
        raise ValidationError({"confirm_warnings": _("Read the warnings and confirm to save anyway: %(w)s") % {
            "w": "; ".join(warnings)}})
    scheme.created_by = actor
    scheme.save()
    # Recent posts are matched now; new ones are matched as they are ingested.
    from gonghui.monitoring.ingestion import match_schemes

    match_schemes(recent_posts(actor), schemes=[(scheme.pk, _compiled)])
    audit.record(actor=actor, action="monitoring.scheme_save", obj=scheme, after={"name": scheme.name})
    return scheme


# --- alerts -------------------------------------------------------------------------------------------------

@transaction.atomic
def acknowledge_alert(*, actor, alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _require(actor, "monitoring.manage", alert)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError({"alert": _("Only an open alert can be acknowledged.")})
    alert.status, alert.updated_at = AlertStatus.ACKNOWLEDGED, timezone.now()
    alert.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="monitoring.alert_ack", obj=alert)
    return alert


@transaction.atomic
def close_alert(*, actor, alert: Alert, note: str = "") -> Alert:
    """Close (dismiss) an alert that has no warning case; one with a case is closed with the case."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _require(actor, "monitoring.manage", alert)
    if alert.status == AlertStatus.CLOSED:
        raise ValidationError({"alert": _("The alert is closed already.")})
    if alert.warning_id:
        raise ValidationError({"alert": _("This alert is closed with its warning case.")})
    before = alert.status
    alert.status, alert.updated_at = AlertStatus.CLOSED, timezone.now()
    alert.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="monitoring.alert_close", obj=alert, before={"status": before},
                 after={"status": alert.status}, note=(note or "")[:500])
    return alert


# --- 网评员 tasks ---------------------------------------------------------------------------------------------

@transaction.atomic
def create_task(*, actor, post: Post, kind: str, team: CommentTeam, due_at, instructions: str = "") -> CommentTask:
    _require(actor, "monitoring.manage", post)
    assert_in_scope(team, actor, "monitoring.manage")
    errors = {}
    if kind not in TaskKind.values:
        errors["kind"] = _("Choose clarify, respond or report.")
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = _("The due time must be in the future.")
    if errors:
        raise ValidationError(errors)
    task = CommentTask.objects.create(post=post, kind=kind, team=team, owner_organization=team.owner_organization,
                                      instructions=(instructions or "").strip()[:1000], due_at=due_at,
                                      created_by=actor)
    audit.record(actor=actor, action="monitoring.task_create", obj=task, after={"kind": kind, "team": team.pk})
    for member in team.members.filter(is_active=True):
        transaction.on_commit(lambda m=member: notify(m, _("New 网评员 task: %(kind)s") % {
            "kind": task.get_kind_display()}, task.instructions, url="/work/monitoring/tasks/"))
    return task


@transaction.atomic
def complete_task(*, actor, task: CommentTask, note: str, url: str = "") -> CommentTask:
    task = CommentTask.objects.select_for_update().select_related("team").get(pk=task.pk)
    _require(actor, "monitoring.comment", task)
    # Only the team's own members complete its tasks (or a manager over the team).
    if not task.team.members.filter(pk=actor.pk).exists() and not (
            actor.has_gonghui_perm("monitoring.manage")
            and CommentTeam.objects.visible_to(actor, "monitoring.manage").filter(pk=task.team_id).exists()):
        raise PermissionDenied
    if task.status == TaskStatus.DONE:
        raise ValidationError({"note": _("This task is done already.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError({"url": _("Enter an http(s) address.")})
    task.status, task.completed_by, task.completed_at = TaskStatus.DONE, actor, timezone.now()
    task.completion_note, task.completion_url = note[:2000], url[:500]
    task.save()
    audit.record(actor=actor, action="monitoring.task_done", obj=task, note=note[:500])
    return task
