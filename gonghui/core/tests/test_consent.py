import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core import consent
from gonghui.core.models import AuditEvent, ConsentPurpose
from gonghui.members.models import Person


def test_sharing_needs_a_current_separate_consent(world):
    alice = Person.objects.get(name="李爱丽")
    with pytest.raises(PermissionDenied):
        consent.require_consent(alice, ConsentPurpose.SHARE_HR_BUREAU)
    consent.grant(actor=world.users["alice"], subject=alice, purpose=ConsentPurpose.SHARE_HR_BUREAU, version="2026-1")
    consent.require_consent(alice, ConsentPurpose.SHARE_HR_BUREAU)
    # A consent for one purpose is not a consent for another.
    assert not consent.has_consent(alice, ConsentPurpose.SHARE_COURT)
    assert consent.withdraw(actor=world.users["alice"], subject=alice, purpose=ConsentPurpose.SHARE_HR_BUREAU) == 1
    with pytest.raises(PermissionDenied):
        consent.require_consent(alice, ConsentPurpose.SHARE_HR_BUREAU)
    actions = list(AuditEvent.objects.filter(action__startswith="consent.").values_list("action", flat=True))
    assert sorted(actions) == ["consent.grant", "consent.withdraw"]


def test_unknown_purpose_is_refused(world):
    with pytest.raises(ValueError):
        consent.grant(actor=world.users["alice"], subject=world.users["alice"], purpose="marketing", version="1")
