"""Where an online join application goes (线上申请、线下受理): the union whose QR code was scanned; else the
employer's grassroots union; else the federation or joint union covering the employer, or the platform's
industry; else the street / town union where the applicant lives; else the district union; else the city."""

from gonghui.organizing.choices import JoinRoute
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Coverage, Enterprise, Organization, Region


def _covering(enterprise: Enterprise | None) -> Organization | None:
    if enterprise is None:
        return None
    cover = (Coverage.objects.filter(target_enterprise=enterprise, covering__is_active=True)
             .select_related("covering").order_by("-covering__depth", "pk").first())
    return cover.covering if cover else None


def route_join(*, chosen_union: Organization | None = None, employer: Enterprise | None = None,
               platform: Enterprise | None = None, home_region: Region | None = None,
               home_street: Organization | None = None) -> tuple[Organization, str]:
    if chosen_union is not None and chosen_union.is_active:
        return chosen_union, JoinRoute.CHOSEN
    if employer is not None and employer.union_id and employer.union.is_active:
        return employer.union, JoinRoute.EMPLOYER_UNION
    if (covering := _covering(employer)) is not None:
        return covering, JoinRoute.EMPLOYER_COVERAGE
    if (covering := _covering(platform)) is not None:
        return covering, JoinRoute.PLATFORM_COVERAGE
    if home_street is not None and home_street.is_active:
        return home_street, JoinRoute.HOME_STREET
    if home_region is not None:
        district = (Organization.objects.filter(kind=OrgKind.DISTRICT_UNION, region=home_region, is_active=True)
                    .order_by("depth", "pk").first())
        if district is not None:
            return district, JoinRoute.HOME_DISTRICT
    return Organization.objects.get(parent__isnull=True), JoinRoute.CITY
