"""Excel exports of organisations and enterprises, run as jobs with progress."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gonghui.core.exports import XLSX_TYPE, write_xlsx
from gonghui.core.jobs import register
from gonghui.orgs import selectors


@register("orgs.export_enterprises")
def export_enterprises(job, progress):
    user = job.requested_by
    p = job.params
    with override(job.params.get("lang") or "zh-hans"):
        qs = selectors.list_enterprises(user, query=p.get("q", ""), region=p.get("region", ""),
                                        size_class=p.get("size", ""), has_union=p.get("union", ""))
        if not p.get("q"):
            qs = qs.order_by("name", "id")
        total = qs.count()
        headers = [_("Name"), _("Unified social credit code"), _("Industry (division)"), _("Size class"),
                   _("Ownership"), _("Employees"), _("District"), _("Address"), _("Grassroots union"),
                   _("Owner organisation")]
        rows = (
            (e.name, e.uscc, str(e.industry), e.get_size_class_display(), e.get_ownership_display(), e.headcount,
             e.region.name, e.address, e.union.name if e.union else "", e.owner_organization.name)
            for e in qs.select_related("owner_organization").iterator(chunk_size=2000)
        )
        data = write_xlsx(headers, rows, title=_("Enterprises"), progress=progress, total=total)
    return f"enterprises-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


@register("orgs.export_organizations")
def export_organizations(job, progress):
    user = job.requested_by
    with override(job.params.get("lang") or "zh-hans"):
        qs = selectors.list_organizations(user, query=job.params.get("q", ""))
        if not job.params.get("q"):
            qs = qs.order_by("path")
        total = qs.count()
        headers = [_("Name"), _("Kind"), _("Parent"), _("District"), _("Unified social credit code"),
                   _("Contact person"), _("Active")]
        rows = (
            (o.name, o.get_kind_display(), o.parent.name if o.parent else "", o.region.name if o.region else "",
             o.uscc, o.contact_name, _("Yes") if o.is_active else _("No"))
            for o in qs.iterator(chunk_size=2000)
        )
        data = write_xlsx(headers, rows, title=_("Organisations"), progress=progress, total=total)
    return f"organisations-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE
