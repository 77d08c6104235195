"""Every write of the wish platform: donors, wishes from post to thank-you, and batch matching."""

import time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit, files
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.hardship.choices import FileStatus
from gonghui.hardship.models import HardshipFile
from gonghui.members.models import Person
from gonghui.orgs.models import Organization
from gonghui.orgs.validators import normalise_uscc
from gonghui.wishes import matching
from gonghui.wishes.choices import DonorKind, DonorStatus, WishCategory, WishStatus
from gonghui.wishes.models import Donor, MatchRun, Recommendation, Wish, WishEvent, WishSettings


def _event(wish, note=""):
    WishEvent.objects.create(wish=wish, status=wish.status, note=note[:300])


@transaction.atomic
def register_donor(*, actor, kind: str, name: str, uscc: str = "", categories=(), regions=(),
                   budget: Decimal = Decimal("0")) -> Donor:
    """A donor signs up with the mobile they signed in with; an enterprise also gives its credit code.
    Staff approve before the donor can claim."""
    if hasattr(actor, "donor"):
        raise ValidationError({"kind": _("You are already registered as a donor.")})
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the name to print on the thank-you certificate.")
    if kind == DonorKind.ENTERPRISE:
        try:
            uscc = normalise_uscc(uscc)
        except ValidationError as error:
            errors["uscc"] = error.messages
    elif kind != DonorKind.PERSON:
        errors["kind"] = _("Choose person or enterprise.")
    if not actor.mobile:
        errors["kind"] = _("Sign in with your mobile number first: donors are verified by mobile.")
    if budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    unknown = set(categories) - set(WishCategory.values)
    if unknown:
        errors["categories"] = _("Unknown category.")
    if errors:
        raise ValidationError(errors)
    donor = Donor.objects.create(user=actor, kind=kind, name=name.strip()[:80], uscc=uscc if kind == "enterprise" else "",
                                 categories=sorted(set(categories)), regions=sorted(set(regions)), budget=budget,
                                 owner_organization=Organization.objects.get(parent__isnull=True))
    audit.record(actor=actor, action="wishes.donor_register", obj=donor, after={"kind": kind})
    return donor


@transaction.atomic
def decide_donor(*, actor, donor: Donor, approve: bool) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    assert_in_scope(donor, actor, "wishes.manage")
    if not actor.has_gonghui_perm("wishes.manage") or donor.user_id == actor.pk:
        raise PermissionDenied
    donor.status = DonorStatus.APPROVED if approve else DonorStatus.REJECTED
    donor.approved_by = actor
    donor.save(update_fields=["status", "approved_by"])
    audit.record(actor=actor, action="wishes.donor_" + donor.status, obj=donor)
    transaction.on_commit(lambda: notify(donor.user, _("Your donor account: %(status)s") % {
        "status": donor.get_status_display()}, url="/wishes/"))
    return donor


@transaction.atomic
def post_wish(*, actor, category: str, description: str, amount: Decimal) -> Wish:
    """A worker on a hardship file posts a wish; the union verifies it before anyone sees it."""
    person = Person.objects.select_for_update().filter(user=actor).first()  # the open-wish cap, one at a time
    file = HardshipFile.objects.filter(person=person, status=FileStatus.ACTIVE).select_related(
        "application__region").first() if person else None
    if file is None:
        raise ValidationError({"category": _("Wishes are posted by workers on a hardship file. Ask your union.")})
    cap = WishSettings.current().amount_cap
    errors = {}
    if category not in WishCategory.values:
        errors["category"] = _("Choose a category.")
    if not (description or "").strip():
        errors["description"] = _("Describe the wish.")
    if amount is None or amount < 1:
        errors["amount"] = _("Enter the amount in yuan.")
    elif amount > cap:
        errors["amount"] = _("A wish can be at most ¥%(cap)s.") % {"cap": cap}
    if Wish.objects.filter(person=person, status__in=[WishStatus.SUBMITTED, WishStatus.PUBLISHED,
                                                        WishStatus.CLAIMED]).count() >= 3:
        errors["category"] = _("You have three open wishes already.")
    if errors:
        raise ValidationError(errors)
    wish = Wish.objects.create(person=person, owner_organization=file.owner_organization,
                               region=file.application.region, category=category,
                               description=description.strip()[:1000], amount=amount)
    _event(wish)
    audit.record(actor=actor, action="wishes.post", obj=wish, after={"amount": str(amount)})
    return wish


def _locked(actor, wish, perm="wishes.manage") -> Wish:
    locked = Wish.objects.select_for_update(of=("self",)).select_related("person").get(pk=wish.pk)
    assert_in_scope(locked, actor, perm)
    if not actor.has_gonghui_perm(perm):
        raise PermissionDenied
    if locked.person.user_id == actor.pk:
        raise PermissionDenied(_("Nobody handles their own wish."))
    return locked


@transaction.atomic
def publish_wish(*, actor, wish: Wish, public_title: str, public_text: str) -> Wish:
    """The union verifies the worker's situation and writes the public text without identifying data."""
    wish = _locked(actor, wish)
    if wish.status != WishStatus.SUBMITTED:
        raise ValidationError({"public_title": _("Only a submitted wish can be published.")})
    person = wish.person
    errors = {}
    if not (public_title or "").strip():
        errors["public_title"] = _("Give the wish a short public title.")
    identifying = [v for v in (person.name, person.mobile, person.id_number) if v and (
        v in (public_title or "") or v in (public_text or ""))]
    if identifying:
        errors["public_text"] = _("The public text must not contain the worker's name, mobile or ID number.")
    if errors:
        raise ValidationError(errors)
    wish.public_title, wish.public_text = public_title.strip()[:60], (public_text or "").strip()[:500]
    wish.status, wish.published_at = WishStatus.PUBLISHED, timezone.now()
    wish.save()
    _event(wish)
    audit.record(actor=actor, action="wishes.publish", obj=wish)
    return wish


@transaction.atomic
def reject_wish(*, actor, wish: Wish, reason: str) -> Wish:
    wish = _locked(actor, wish)
    if wish.status != WishStatus.SUBMITTED:
        raise ValidationError({"reason": _("Only a submitted wish can be turned down.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tell the worker why.")})
    wish.status, wish.reject_reason = WishStatus.REJECTED, reason.strip()[:300]
    wish.save(update_fields=["status", "reject_reason"])
    _event(wish, reason)
    audit.record(actor=actor, action="wishes.reject", obj=wish, note=reason[:300])
    return wish


def claim(*, actor, wish: Wish) -> Wish:
    """An approved donor claims a published wish. The status change is one conditional UPDATE, so of any
    number of donors clicking at once exactly one wins."""
    donor = Donor.objects.filter(user=actor).first()
    if donor is None or donor.status != DonorStatus.APPROVED:
        raise ValidationError({"wish": _("Only approved donors can claim wishes.")})
    if wish.person.user_id == actor.pk:
        raise ValidationError({"wish": _("You cannot claim your own wish.")})
    with transaction.atomic():
        won = Wish.objects.filter(pk=wish.pk, status=WishStatus.PUBLISHED).update(
            status=WishStatus.CLAIMED, donor=donor, claimed_at=timezone.now())
        if not won:
            raise ValidationError({"wish": _("Someone else has just claimed this wish. Thank you all the same!")})
        wish = Wish.objects.get(pk=wish.pk)
        _event(wish, donor.name)
        audit.record(actor=actor, action="wishes.claim", obj=wish, after={"donor": donor.pk})
        user = wish.person.user
        if user is not None:
            transaction.on_commit(lambda: notify(user, _("Your wish has been claimed by %(donor)s") % {
                "donor": donor.name}, url="/wishes/mine/"))
    return wish


@transaction.atomic
def confirm_delivery(*, actor, wish: Wish, photo) -> Wish:
    wish = _locked(actor, wish)
    if wish.status != WishStatus.CLAIMED:
        raise ValidationError({"photo": _("Only a claimed wish can be delivered.")})
    if photo is None:
        raise ValidationError({"photo": _("Add a photo of the delivery.")})
    try:
        content_type = files.validate_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages})
    stored = files.save_private(actor=actor, organization=wish.owner_organization, purpose="wish-delivery",
                                name=photo.name, data=photo.read(), content_type=content_type)
    wish.status, wish.delivered_at, wish.delivery_photo = WishStatus.DELIVERED, timezone.now(), stored
    wish.save(update_fields=["status", "delivered_at", "delivery_photo"])
    _event(wish)
    audit.record(actor=actor, action="wishes.deliver", obj=wish)
    return wish


@transaction.atomic
def confirm_receipt(*, actor, wish: Wish) -> Wish:
    wish = Wish.objects.select_for_update(of=("self",)).select_related("donor__user").get(pk=wish.pk)
    if wish.person.user_id != actor.pk:
        raise Http404
    if wish.status != WishStatus.DELIVERED:
        raise ValidationError({"wish": _("Confirm once the gift has been delivered.")})
    wish.status, wish.received_at = WishStatus.RECEIVED, timezone.now()
    wish.save(update_fields=["status", "received_at"])
    _event(wish)
    audit.record(actor=actor, action="wishes.receive", obj=wish)
    donor_user = wish.donor.user
    transaction.on_commit(lambda: notify(donor_user, _("A wish you lit up was received. Your certificate is ready."),
                                         url=f"/wishes/certificates/{wish.pk}/"))
    return wish


def run_matching(*, actor=None, seconds: float = 8.0) -> MatchRun:
    """Recommend open wishes to approved donors within their budgets (CP-SAT, warm-started from greedy)."""
    started = time.perf_counter()
    wishes = list(Wish.objects.filter(status=WishStatus.PUBLISHED).order_by("published_at", "id").values(
        "id", "category", "region_id", "amount"))
    donors = list(Donor.objects.filter(status=DonorStatus.APPROVED, budget__gt=0).order_by("id"))
    items = [matching.WishItem(w["id"], w["category"], w["region_id"], int(w["amount"] * 100)) for w in wishes]
    donor_items = [matching.DonorItem(d.id, frozenset(d.categories), frozenset(d.regions), int(d.budget * 100))
                   for d in donors]
    result = matching.solve(items, donor_items, seconds=seconds)
    by_wish = {w["id"]: w for w in wishes}
    by_donor = {d.id: d for d in donors}
    with transaction.atomic():
        run = MatchRun.objects.create(
            requested_by=actor if getattr(actor, "pk", None) else None, wishes=len(items), donors=len(donor_items),
            greedy_count=result.greedy_count, greedy_value=Decimal(result.greedy_value) / 100, count=result.count,
            value=Decimal(result.value) / 100, gap=result.gap, status=result.status,
            seconds=time.perf_counter() - started)
        Recommendation.objects.bulk_create([
            Recommendation(run=run, donor_id=donor_id, wish_id=wish_id, reason=_reason(by_wish[wish_id],
                                                                                       by_donor[donor_id]))
            for wish_id, donor_id in result.assignment.items()
        ], batch_size=2000)
        audit.record(actor=actor, action="wishes.match", after={"count": result.count, "gap": result.gap})
    return run


def _reason(wish: dict, donor: Donor) -> str:
    parts = []
    category = WishCategory(wish["category"]).label
    parts.append(_("you chose %(category)s") % {"category": category} if donor.categories else str(category))
    if donor.regions:
        parts.append(_("in a district you chose"))
    parts.append(_("¥%(amount)s fits your budget of ¥%(budget)s") % {"amount": wish["amount"], "budget": donor.budget})
    return "; ".join(str(p) for p in parts)[:300]


def certificate_pdf(wish: Wish) -> bytes:
    """The donor's thank-you certificate (Chinese text in Noto Sans CJK, from Debian's fonts-noto-cjk)."""
    from django.template.loader import render_to_string
    from django.utils.translation import override
    from weasyprint import HTML

    if wish.status != WishStatus.RECEIVED:
        raise ValidationError({"wish": _("The certificate is issued once the worker has received the gift.")})
    with override("zh-hans"):
        html = render_to_string("wishes/pdf/certificate.html", {"wish": wish, "donor": wish.donor,
                                                                 "date": timezone.localdate()})
    return HTML(string=html).write_pdf()
