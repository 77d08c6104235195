"""The engine's matching indexes, kept in sync with the database, and their reasons in the user's language.

Each process builds its indexes lazily on first use. Every change that matters (a posting published,
edited or closed; a seeker profile saved) bumps a version counter in its own transaction (so other processes see it exactly when the change commits); a process seeing a newer
version re-reads only the rows changed since its last sync (with a margin for transactions that commit
late) and rebuilds from scratch every ``FULL_REBUILD_SECONDS`` as a safety net.
"""

import threading
import time
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.employment.choices import Education, FairTheme, PostingStatus, PriorityGroup
from gonghui.employment.data.districts import DISTRICT_NAMES
from gonghui.employment.data.occupations import OCCUPATION_LABELS, occupation_label
from gonghui.employment.data.skills import SKILL_RANK
from gonghui.employment.engine import ranking
from gonghui.employment.models import IndexVersion, JobPosting, SeekerProfile

FULL_REBUILD_SECONDS = 15 * 60
SYNC_MARGIN = timedelta(seconds=60)
# Postings tagged to a themed campaign welcome that theme's priority group first.
THEME_PRIORITY = {FairTheme.GRADUATE: PriorityGroup.HARDSHIP_GRADUATE,
                  FairTheme.REEMPLOYMENT: PriorityGroup.CLOSED_ENTERPRISE}

_lock = threading.Lock()
_cache: dict[str, dict] = {}


def bump(name: str = "jobs") -> None:
    """Tell every process that the index ``name`` is stale (inside the writing transaction)."""
    if not IndexVersion.objects.filter(name=name).update(version=F("version") + 1):
        IndexVersion.objects.get_or_create(name=name)
        IndexVersion.objects.filter(name=name).update(version=F("version") + 1)


def _version(name: str) -> int:
    return IndexVersion.objects.filter(name=name).values_list("version", flat=True).first() or 0


# ---- documents ---------------------------------------------------------------------------------------

def _int(value):
    return int(value) if value is not None else None


def job_docs(queryset):
    """Postings as the engine's JobDoc, with their campaigns (and the priority groups those welcome)."""
    rows = list(queryset.values("id", "title", "description", "occupation_code", "industry_id", "region_id",
                                "salary_min", "salary_max", "education", "experience_years", "skills"))
    through = JobPosting.campaigns.through
    tags: dict[int, list[tuple[int, str]]] = {}
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 5000):
        for posting_id, campaign_id, theme in through.objects.filter(
                jobposting_id__in=ids[start:start + 5000]).values_list("jobposting_id", "campaign_id",
                                                                        "campaign__theme"):
            tags.setdefault(posting_id, []).append((campaign_id, theme))
    for r in rows:
        campaigns = tags.get(r["id"], [])
        yield ranking.JobDoc(
            id=r["id"], title=r["title"], description=r["description"], occupation=r["occupation_code"],
            industry=r["industry_id"] or "", district=r["region_id"] or "", salary_min=_int(r["salary_min"]),
            salary_max=_int(r["salary_max"]), education=r["education"], experience_min=r["experience_years"] or 0,
            skills=tuple(r["skills"] or ()), campaigns=tuple(str(c) for c, _t in campaigns),
            priority_groups=tuple(sorted({THEME_PRIORITY[t] for _c, t in campaigns if t in THEME_PRIORITY})))


def occupation_codes(words) -> tuple[str, ...]:
    """Occupation codes named by free words (a label containing the word, or the word containing it)."""
    codes = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        if word in OCCUPATION_LABELS:
            codes.append(word)
            continue
        codes += [code for code, label in OCCUPATION_LABELS.items()
                  if code.count("-") == 3 and (word == label or (len(word) >= 2 and (word in label or label in word)))]
    return tuple(dict.fromkeys(codes))[:10]


def _skill_level(certificates) -> int:
    return max((SKILL_RANK.get(c.get("level") or "none", 0) for c in certificates or ()), default=0)


def seeker_doc(profile: SeekerProfile) -> ranking.SeekerProfile:
    words = list(profile.desired_occupations or [])
    certificates = [c.get("name", "") for c in profile.certificates or ()]
    return ranking.SeekerProfile(
        id=profile.pk, text=" ".join([profile.summary, *words, *certificates]),
        occupations=occupation_codes(words + certificates), districts=tuple(profile.desired_regions or ()),
        salary_min=_int(profile.desired_salary), education=profile.education if profile.education != "any" else "",
        experience_years=profile.experience_years, skill_level=_skill_level(profile.certificates),
        skills=tuple(profile.skills or ()), priority_groups=tuple(profile.priority_groups or ()))


def live_postings():
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED, closes_on__gte=timezone.localdate())


def active_seekers():
    return SeekerProfile.objects.filter(is_active=True)


# ---- the per-process indexes -------------------------------------------------------------------------

def _sync(name: str, build, changed):
    version = _version(name)
    now = timezone.now()
    with _lock:
        entry = _cache.get(name)
        if entry is None or time.monotonic() - entry["built"] > FULL_REBUILD_SECONDS:
            _cache[name] = entry = {"index": build(), "version": version, "synced_at": now,
                                    "built": time.monotonic()}
        elif entry["version"] != version:
            changed(entry["index"], entry["synced_at"] - SYNC_MARGIN)
            entry["version"], entry["synced_at"] = version, now
        return entry["index"]


def job_index() -> ranking.JobIndex:
    def build():
        return ranking.JobIndex(job_docs(live_postings()))

    def changed(index, since):
        touched = JobPosting.objects.filter(updated_at__gte=since)
        live = {doc.id: doc for doc in job_docs(live_postings().filter(updated_at__gte=since))}
        for posting_id in touched.values_list("id", flat=True):
            if posting_id in live:
                index.update(live[posting_id])
            elif posting_id in index:
                index.remove(posting_id)

    return _sync("jobs", build, changed)


def seeker_index() -> ranking.SeekerIndex:
    def build():
        return ranking.SeekerIndex(seeker_doc(s) for s in active_seekers().iterator(chunk_size=5000))

    def changed(index, since):
        for seeker in SeekerProfile.objects.filter(updated_at__gte=since):
            if seeker.is_active:
                index.update(seeker_doc(seeker))
            elif seeker.pk in index:
                index.remove(seeker.pk)

    return _sync("seekers", build, changed)


def reset() -> None:
    """Forget the cached indexes (tests: a new database behind the same process)."""
    with _lock:
        _cache.clear()


# ---- searches ----------------------------------------------------------------------------------------

def _postings_by_id(ids):
    rows = live_postings().filter(pk__in=ids).select_related("employer__enterprise", "region")
    return {p.pk: p for p in rows}


def jobs_for(profile: ranking.SeekerProfile, *, k: int = 10, exclude=()) -> list[dict]:
    """Ranked live postings with their reasons rendered in the active language."""
    filters = {"exclude": list(exclude)} if exclude else None
    matches = job_index().search(profile, k=k + 10, filters=filters)
    postings = _postings_by_id([m.id for m in matches])
    results = []
    for match in matches:
        posting = postings.get(match.id)
        if posting is not None:  # closed since the index last synced
            results.append({"posting": posting, "score": match.score, "reasons": render_reasons(match.reasons),
                            "reason_codes": match.reasons})
        if len(results) == k:
            break
    return results


def quick_match(*, text: str, region: str = "", salary=None, education: str = "", experience_years=None,
                skills=(), occupations=(), priority_groups=(), k: int = 10) -> list[dict]:
    """An unsaved profile (free text plus optional fields) → top live postings with explanations."""
    words = [w for w in (occupations or ())]
    profile = ranking.SeekerProfile(
        text=text or "", occupations=occupation_codes(words), districts=(region,) if region else (),
        salary_min=_int(salary), education=education if education in Education.values and education != "any" else "",
        experience_years=experience_years, skills=tuple(skills or ()),
        priority_groups=tuple(g for g in priority_groups or () if g in PriorityGroup.values))
    return jobs_for(profile, k=max(1, min(k, 50)))


def seekers_for_posting(posting: JobPosting, *, k: int = 10) -> list[dict]:
    doc = next(job_docs(JobPosting.objects.filter(pk=posting.pk)))
    applied = list(posting.applications.values_list("seeker_id", flat=True))
    matches = seeker_index().search(doc, k=k, filters={"exclude": applied} if applied else None)
    seekers = SeekerProfile.objects.filter(pk__in=[m.id for m in matches], is_active=True).in_bulk()
    return [{"seeker": seekers[m.id], "score": m.score, "reasons": render_reasons(m.reasons)}
            for m in matches if m.id in seekers]


# ---- reasons -----------------------------------------------------------------------------------------

def _money(value) -> str:
    return "—" if value is None else f"¥{int(value):,}"


def render_reasons(reasons) -> list[str]:
    """The engine's (code, params) reasons as short sentences in the active language."""
    texts = []
    for code, params in reasons:
        p = params or {}
        if code == "text":
            texts.append(_("matches “%(terms)s”") % {"terms": "、".join(p.get("terms", [])[:4])})
        elif code == "occupation":
            label = occupation_label(p.get("code", "")) or p.get("code", "")
            texts.append((_("your occupation: %(label)s") if p.get("exact") else
                          _("a related occupation: %(label)s")) % {"label": label})
        elif code == "district":
            texts.append(_("in %(district)s, where you want to work") % {
                "district": DISTRICT_NAMES.get(p.get("district", ""), p.get("district", ""))})
        elif code == "salary_overlap":
            texts.append(_("pays up to %(max)s, meeting your %(wanted)s") % {
                "max": _money(p.get("max") or p.get("min")), "wanted": _money(p.get("wanted"))})
        elif code == "salary_below":
            texts.append(_("pays up to %(max)s, below your %(wanted)s") % {
                "max": _money(p.get("max") or p.get("min")), "wanted": _money(p.get("wanted"))})
        elif code == "education":
            texts.append(_("your education meets “%(level)s”") % {"level": _education(p.get("level"))})
        elif code == "education_gap":
            texts.append(_("asks for “%(level)s”") % {"level": _education(p.get("required"))})
        elif code == "experience":
            texts.append(_("your experience meets the %(years)s years asked") % {"years": p.get("years")})
        elif code == "experience_gap":
            texts.append(_("asks for %(years)s years of experience") % {"years": p.get("required")})
        elif code == "skill_level":
            texts.append(_("your skill certificate meets the level asked"))
        elif code == "skill_gap":
            texts.append(_("asks for a higher skill level"))
        elif code == "priority":
            group = p.get("group", "")
            label = PriorityGroup(group).label if group in PriorityGroup.values else group
            texts.append(_("priority for %(group)s") % {"group": label})
        elif code == "campaign":
            texts.append(_("part of a campaign you joined"))
    return texts


def _education(code) -> str:
    return str(Education(code).label) if code in Education.values else str(code or "")
