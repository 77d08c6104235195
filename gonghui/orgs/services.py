"""Every write to organisations, enterprises and coverage links."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core import audit, search
from gonghui.core.scoping import assert_in_scope
from gonghui.orgs.choices import ALLOWED_CHILDREN, OrgKind
from gonghui.orgs.models import Coverage, Enterprise, Organization, encode_step
from gonghui.orgs.signals import enterprise_closed
from gonghui.orgs.validators import normalise_uscc

ORG_FIELDS = ["name", "short_name", "region", "uscc", "address", "contact_name", "contact_phone", "is_active"]
ENTERPRISE_FIELDS = [
    "name", "uscc", "industry", "size_class", "ownership", "headcount", "region", "address", "union", "is_active",
]


def index_organization(org: Organization) -> None:
    search.index("organization", org.pk, org.name, org.short_name)


def index_enterprise(enterprise: Enterprise) -> None:
    search.index("enterprise", enterprise.pk, enterprise.name, enterprise.uscc)


@transaction.atomic
def create_organization(*, actor, parent: Organization | None, kind: str, name: str, **fields) -> Organization:
    """A new organisation under ``parent`` (which the actor manages), with the next path step."""
    if parent is None:
        if Organization.objects.filter(parent__isnull=True).exists():
            raise ValidationError({"parent": _("Only one city federation can sit at the top of the tree.")})
        if kind != OrgKind.CITY_FEDERATION:
            raise ValidationError({"kind": _("The top of the tree must be the city federation.")})
        path, depth = encode_step(1), 0
        org = Organization(kind=kind, name=name, path=path, depth=depth, **fields)
    else:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        if actor is not None:
            assert_in_scope(parent, actor, "orgs.manage")
        if kind not in ALLOWED_CHILDREN[OrgKind(parent.kind)]:
            raise ValidationError(
                {"kind": _("A %(child)s cannot sit under a %(parent)s.")
                 % {"child": OrgKind(kind).label, "parent": parent.get_kind_display()}}
            )
        parent.children_count += 1
        parent.save(update_fields=["children_count"])
        org = Organization(
            kind=kind, name=name, parent=parent, path=parent.path + encode_step(parent.children_count),
            depth=parent.depth + 1, **fields,
        )
    if org.uscc:
        org.uscc = normalise_uscc(org.uscc)
    org.full_clean(exclude=["path"])
    org.save()
    index_organization(org)
    audit.record(actor=actor, action="org.create", obj=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def update_organization(*, actor, organization: Organization, **changes) -> Organization:
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    assert_in_scope(org, actor, "orgs.manage")
    before = audit.snapshot(org, ORG_FIELDS)
    for key, value in changes.items():
        if key not in ORG_FIELDS:
            raise ValueError(f"{key} cannot be changed here")
        setattr(org, key, value)
    if org.uscc:
        org.uscc = normalise_uscc(org.uscc)
    org.full_clean(exclude=["path"])
    org.save()
    index_organization(org)
    old, new = audit.diff(before, audit.snapshot(org, ORG_FIELDS))
    if new:
        audit.record(actor=actor, action="org.update", obj=org, before=old, after=new)
    return org


def _check_union(actor, union: Organization | None) -> None:
    if union is None:
        return
    if union.kind not in (OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION):
        raise ValidationError({"union": _("Only a grassroots or joint grassroots union can be an enterprise's union.")})
    if actor is not None:
        assert_in_scope(union, actor, "orgs.view")


@transaction.atomic
def create_enterprise(*, actor, owner_organization: Organization, **fields) -> Enterprise:
    if actor is not None:
        assert_in_scope(owner_organization, actor, "enterprises.manage")
    fields["uscc"] = normalise_uscc(fields.get("uscc", ""))
    if Enterprise.objects.filter(uscc=fields["uscc"]).exists():
        raise ValidationError({"uscc": _("An enterprise with this unified social credit code is already registered.")})
    _check_union(actor, fields.get("union"))
    enterprise = Enterprise(owner_organization=owner_organization, **fields)
    enterprise.full_clean()
    enterprise.save()
    index_enterprise(enterprise)
    audit.record(actor=actor, action="enterprise.create", obj=enterprise, after=audit.snapshot(enterprise))
    return enterprise


@transaction.atomic
def update_enterprise(*, actor, enterprise: Enterprise, **changes) -> Enterprise:
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    assert_in_scope(locked, actor, "enterprises.manage")
    before = audit.snapshot(locked, ENTERPRISE_FIELDS)
    for key, value in changes.items():
        if key not in ENTERPRISE_FIELDS:
            raise ValueError(f"{key} cannot be changed here")
        setattr(locked, key, value)
    locked.uscc = normalise_uscc(locked.uscc)
    if Enterprise.objects.filter(uscc=locked.uscc).exclude(pk=locked.pk).exists():
        raise ValidationError({"uscc": _("An enterprise with this unified social credit code is already registered.")})
    if "union" in changes:
        _check_union(actor, locked.union)
    locked.full_clean()
    was_operating = Enterprise.objects.filter(pk=locked.pk).values_list("is_active", flat=True).first()
    locked.save()
    index_enterprise(locked)
    if was_operating and not locked.is_active:
        enterprise_closed.send(sender=Enterprise, enterprise=locked, actor=actor)
    old, new = audit.diff(before, audit.snapshot(locked, ENTERPRISE_FIELDS))
    if new:
        audit.record(actor=actor, action="enterprise.update", obj=locked, before=old, after=new)
    return locked


@transaction.atomic
def add_coverage(*, actor, covering: Organization, kind: str, target_organization=None, target_enterprise=None) -> Coverage:
    if actor is not None:
        # Coverage widens what the covering organisation sees, so the actor must manage both ends.
        assert_in_scope(covering, actor, "orgs.manage")
        if target_organization is not None:
            assert_in_scope(target_organization, actor, "orgs.manage")
        if target_enterprise is not None:
            assert_in_scope(target_enterprise, actor, "enterprises.manage")
    if target_organization is not None and target_organization.path.startswith(covering.path):
        raise ValidationError({"target_organization": _("This union is already in the covering organisation's subtree.")})
    link = Coverage(
        covering=covering, kind=kind, target_organization=target_organization, target_enterprise=target_enterprise
    )
    link.full_clean()
    link.save()
    audit.record(actor=actor, action="coverage.add", obj=link, after=audit.snapshot(link))
    return link


@transaction.atomic
def remove_coverage(*, actor, coverage: Coverage) -> None:
    link = Coverage.objects.select_for_update().get(pk=coverage.pk)
    assert_in_scope(link, actor, "orgs.manage")
    audit.record(actor=actor, action="coverage.remove", obj=link, before=audit.snapshot(link))
    link.delete()
