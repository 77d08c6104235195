"""会聘 in the API: quick match for the portal and partners, and the HR bureau's pulls of postings, seekers
(only those who consented to sharing) and placements for a period."""

from datetime import date

from ninja import Query, Router

from gonghui.core import audit
from gonghui.core.api import ERRORS, paginate, principal_of, require_perm
from gonghui.employment import matching, selectors
from gonghui.employment.schemas import ArchivePage, MatchIn, MatchOut, PlacementPage, PostingPage, SeekerPage

router = Router(tags=["employment"])


@router.post("/employment/match", response={200: list[MatchOut], **ERRORS}, summary="Quick match (nothing saved)")
def match(request, payload: MatchIn):
    """An unsaved profile — free text plus optional fields — and the top live postings, each with the reasons
    it was recommended (rendered in the language of ``Accept-Language``, and as codes with parameters)."""
    results = matching.quick_match(text=payload.text, region=payload.region, salary=payload.salary,
                                   education=payload.education, experience_years=payload.experience_years,
                                   skills=payload.skills, occupations=payload.occupations,
                                   priority_groups=payload.priority_groups, k=payload.k)
    return [{"posting_id": r["posting"].pk, "title": r["posting"].title,
             "employer": r["posting"].employer.enterprise.name, "district": r["posting"].region_id,
             "salary": r["posting"].salary_text, "score": r["score"], "reasons": r["reasons"],
             "reason_codes": [{"code": code, "params": params} for code, params in r["reason_codes"]]}
            for r in results]


def _pull(request, what: str, page: dict, **served) -> dict:
    """Audit what was handed to the partner: the ids of the records served, not just how many."""
    principal = principal_of(request)
    after = {"count": len(page["items"]), "ids": [item["id"] for item in page["items"]]}
    after.update({key: sorted(ids) for key, ids in served.items()})
    audit.record(actor=principal, action=f"employment.exchange_{what}", after=after,
                 organization=getattr(principal, "organization", None))
    return page


@router.get("/employment/postings", response={200: PostingPage, **ERRORS}, summary="Postings published in a period")
def postings(request, since: date | None = None, until: date | None = None,
             cursor: str | None = Query(None, max_length=500), limit: int = Query(100, ge=1, le=200)):
    """For the HR and social security bureau: postings published between ``since`` and ``until`` (inclusive;
    the last seven days by default) with the standard codes. Needs ``employment.exchange.view``."""
    require_perm(request, "employment.exchange.view")
    qs = selectors.postings_for_exchange(principal_of(request), since=since, until=until)
    page = paginate(qs, sort="published_at", cursor=cursor, limit=limit)
    page["items"] = [{
        "id": p.pk, "title": p.title, "employer_uscc": p.employer.enterprise.uscc,
        "employer_name": p.employer.enterprise.name, "occupation_code": p.occupation_code,
        "industry_code": p.industry_id, "district_code": p.region_id, "salary_min": p.salary_min,
        "salary_max": p.salary_max, "salary_months": p.salary_months, "salary_negotiable": p.salary_negotiable,
        "education": p.education, "experience_years": p.experience_years, "skills": p.skills,
        "headcount": p.headcount, "closes_on": p.closes_on, "status": p.status, "published_at": p.published_at,
    } for p in page["items"]]
    return _pull(request, "postings", page, posting_ids={item["id"] for item in page["items"]})


@router.get("/employment/seekers", response={200: SeekerPage, **ERRORS}, summary="Consenting seekers updated in a period")
def seekers(request, since: date | None = None, until: date | None = None,
            cursor: str | None = Query(None, max_length=500), limit: int = Query(100, ge=1, le=200)):
    """Only seekers who gave their separate consent to sharing with the HR bureau (PIPL art. 23)."""
    require_perm(request, "employment.exchange.view")
    qs = selectors.seekers_for_exchange(principal_of(request), since=since, until=until)
    page = paginate(qs, sort="updated_at", cursor=cursor, limit=limit)
    page["items"] = [{
        "id": s.pk, "name": s.name, "mobile": s.mobile, "desired_occupations": s.desired_occupations,
        "desired_districts": s.desired_regions, "desired_salary": s.desired_salary, "education": s.education,
        "experience_years": s.experience_years, "skills": s.skills, "certificates": s.certificates,
        "priority_groups": s.priority_groups, "updated_at": s.updated_at,
    } for s in page["items"]]
    return _pull(request, "seekers", page, seeker_ids={item["id"] for item in page["items"]})


@router.get("/employment/placements", response={200: PlacementPage, **ERRORS}, summary="Placements in a period")
def placements(request, since: date | None = None, until: date | None = None,
               cursor: str | None = Query(None, max_length=500), limit: int = Query(100, ge=1, le=200)):
    require_perm(request, "employment.exchange.view")
    qs = selectors.placements_for_exchange(principal_of(request), since=since, until=until)
    page = paginate(qs, sort="hired_on", cursor=cursor, limit=limit)
    # Priority groups are personal data of the seeker: shared only with their HR-bureau consent.
    seeker_ids = {p.application.seeker_id for p in page["items"]}
    consenting = set(selectors.consented_seekers().filter(pk__in=seeker_ids).values_list("pk", flat=True))
    page["items"] = [{
        "id": p.pk, "posting_id": p.application.posting_id, "hired_on": p.hired_on, "district_code": p.region_id,
        "industry_code": p.industry_id, "occupation_code": p.occupation_code,
        "priority_groups": p.priority_groups if p.application.seeker_id in consenting else [],
    } for p in page["items"]]
    return _pull(request, "placements", page, seeker_ids=seeker_ids,
                 posting_ids={item["posting_id"] for item in page["items"]})



def _archives(request):
    from gonghui.core.models import PrivateFile
    from gonghui.employment.exchange import ARCHIVE_PURPOSE

    require_perm(request, "employment.exchange.view")
    return PrivateFile.objects.visible_to(principal_of(request), "employment.exchange.view", include_self=False).filter(
        purpose=ARCHIVE_PURPOSE)


@router.get("/employment/archives", response={200: ArchivePage, **ERRORS}, summary="The weekly Excel archive")
def archives(request, cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=200)):
    """The scheduled weekly export for the HR bureau: each week's postings and placements of the caller's scope
    as Excel files (standard codes; placements carry priority groups only with the seeker's consent). Needs
    ``employment.exchange.view``; download one with ``/employment/archives/{id}``."""
    page = paginate(_archives(request), sort="-created_at", cursor=cursor, limit=limit)
    page["items"] = [{"id": str(f.pk), "name": f.original_name, "organization_id": f.organization_id, "size": f.size,
                      "created_at": f.created_at} for f in page["items"]]
    return page


@router.get("/employment/archives/{archive_id}", response={200: None, **ERRORS}, summary="Download one archive file")
def archive_file(request, archive_id: str):
    """The Excel file itself; every download is audited."""
    from django.http import Http404

    from gonghui.core import files

    found = _archives(request).filter(pk=archive_id).first() if _is_uuid(archive_id) else None
    if found is None:
        raise Http404
    return files.serve(actor=principal_of(request), private_file=found)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
