"""Separate consents (PIPL arts. 23, 29): recorded with the text version, withdrawable, checked by services
before they process sensitive data or share it with a court or the HR bureau."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.models import Consent, ConsentPurpose


def _subject_filter(subject):
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


@transaction.atomic
def grant(*, actor, subject, purpose: str, version: str) -> Consent:
    """Record a consent; granting the same purpose again records the newer text version."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    consent = Consent.objects.create(**_subject_filter(subject), purpose=purpose, version=version, recorded_by=actor)
    audit.record(actor=actor, action="consent.grant", obj=consent, organization=getattr(subject, "audit_organization", None),
                 after={"purpose": purpose, "version": version})
    return consent


@transaction.atomic
def withdraw(*, actor, subject, purpose: str) -> int:
    """Withdraw every current consent of the subject for the purpose; returns how many were open."""
    now = timezone.now()
    open_consents = Consent.objects.select_for_update().filter(
        **_subject_filter(subject), purpose=purpose, withdrawn_at__isnull=True
    )
    count = open_consents.update(withdrawn_at=now)
    if count:
        audit.record(actor=actor, action="consent.withdraw", obj=subject, after={"purpose": purpose})
    return count


def has_consent(subject, purpose: str) -> bool:
    return Consent.objects.filter(**_subject_filter(subject), purpose=purpose, withdrawn_at__isnull=True).exists()


def require_consent(subject, purpose: str) -> None:
    """Services call this before processing or sharing; without consent nothing is shared."""
    if not has_consent(subject, purpose):
        raise PermissionDenied(
            _("The person has not consented to this use of their data (%(purpose)s).")
            % {"purpose": ConsentPurpose(purpose).label}
        )
