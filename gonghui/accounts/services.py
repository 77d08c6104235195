"""Every write about sign-ins, roles and tokens."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import ApiToken, LoginFailure, RoleAssignment, SmsCode, User, hash_token
from gonghui.accounts.roles import ROLES, perms_of
from gonghui.core import audit
from gonghui.core.notifications import send_sms
from gonghui.core.scoping import assert_in_scope, scope_of

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
SMS_MAX_ATTEMPTS = 5


def normalise_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip().replace(" ", "").replace("-", "")
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if not MOBILE_RE.match(mobile):
        raise ValidationError({"mobile": _("Enter an 11-digit mainland mobile number starting with 1.")})
    return mobile


def _code_hash(mobile: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def request_sms_code(*, mobile: str, ip: str | None) -> None:
    """Send a sign-in code, throttled per number (1 a minute, N an hour) and per address (M an hour)."""
    mobile = normalise_mobile(mobile)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    recent = SmsCode.objects.filter(mobile=mobile, created_at__gte=hour_ago)
    if recent.filter(created_at__gte=now - timedelta(seconds=settings.SMS_MIN_INTERVAL_SECONDS)).exists():
        raise ValidationError({"mobile": _("A code was sent less than a minute ago. Please wait before asking again.")})
    if recent.count() >= settings.SMS_PER_NUMBER_PER_HOUR:
        raise ValidationError({"mobile": _("Too many codes for this number. Please try again in an hour.")})
    if ip and SmsCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= settings.SMS_PER_ADDRESS_PER_HOUR:
        raise ValidationError({"mobile": _("Too many codes requested from your network. Please try again later.")})
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(mobile=mobile, code_hash=_code_hash(mobile, code), ip=ip)
    text = _("Your Gonghui sign-in code is %(code)s, valid for %(minutes)s minutes. Never share it.") % {
        "code": code,
        "minutes": settings.SMS_CODE_TTL_SECONDS // 60,
    }
    transaction.on_commit(lambda: send_sms(mobile, text))


def verify_sms_code(*, mobile: str, code: str, ip: str | None) -> User:
    """The user for this number (created on first sign-in) if the code is right; else a ValidationError."""
    mobile = normalise_mobile(mobile)
    wrong = ValidationError({"code": _("The code is wrong or has expired. Ask for a new one.")})
    with transaction.atomic():
        entry = (
            SmsCode.objects.select_for_update()
            .filter(
                mobile=mobile,
                used_at__isnull=True,
                created_at__gte=timezone.now() - timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
            )
            .order_by("-created_at")
            .first()
        )
        if entry is None or entry.attempts >= SMS_MAX_ATTEMPTS:
            raise wrong
        if not hmac.compare_digest(entry.code_hash, _code_hash(mobile, (code or "").strip())):
            # The failed attempt is committed; the error is raised after the block.
            SmsCode.objects.filter(pk=entry.pk).update(attempts=F("attempts") + 1)
            failed = True
        else:
            failed = False
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            user = User.objects.filter(mobile=mobile).first()
            if user is None:
                user = User.objects.create_user(username=f"m{mobile}", mobile=mobile)
                audit.record(actor=user, action="account.create_by_sms", obj=user, after=audit.snapshot(user, ["mobile"]))
            if not user.is_active:
                raise ValidationError({"mobile": _("This account is disabled. Contact your union.")})
            audit.record(actor=user, action="auth.sms_login", obj=user)
    if failed:
        raise wrong
    return user


def lockout_remaining(login: str, ip: str | None) -> int:
    """Seconds until this (login, address) pair may try again; 0 if it may now."""
    entry = LoginFailure.objects.filter(login=login.lower(), ip=ip).first()
    if entry and entry.locked_until and entry.locked_until > timezone.now():
        return int((entry.locked_until - timezone.now()).total_seconds()) + 1
    return 0


def record_login_failure(*, login: str, ip: str | None) -> None:
    """Count a failure for (login, address); past the threshold, lock that pair with doubling back-off."""
    login = login.lower()[:150]
    with transaction.atomic():
        try:
            with transaction.atomic():
                LoginFailure.objects.get_or_create(login=login, ip=ip)
        except IntegrityError:
            pass
        entry = LoginFailure.objects.select_for_update().get(login=login, ip=ip)
        entry.failures += 1
        entry.last_failure_at = timezone.now()
        over = entry.failures - settings.LOGIN_FAILURES_BEFORE_LOCK
        if over >= 0:
            minutes = min(2**over, 60)
            entry.locked_until = timezone.now() + timedelta(minutes=minutes)
            audit.record(actor=None, action="auth.lockout", note=f"{login} from {ip} for {minutes} min")
        entry.save()


def clear_login_failures(*, login: str, ip: str | None) -> None:
    LoginFailure.objects.filter(login=login.lower(), ip=ip).delete()


@transaction.atomic
def unlock(*, actor, entry_id: int) -> None:
    if not actor.has_gonghui_perm("security.manage"):
        raise PermissionDenied
    entry = LoginFailure.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    audit.record(actor=actor, action="auth.unlock", note=f"{entry.login} from {entry.ip}")
    entry.delete()


def totp_for(user: User) -> pyotp.TOTP:
    return pyotp.TOTP(user.totp_secret)


@transaction.atomic
def start_totp_enrolment(*, user: User) -> str:
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.save(update_fields=["totp_secret"])
    return user.totp_secret


def verify_totp(*, user: User, code: str) -> bool:
    """Check a TOTP code (one step of clock drift allowed); the first success confirms enrolment."""
    if not user.totp_secret or not totp_for(user).verify((code or "").strip(), valid_window=1):
        audit.record(actor=user, action="auth.totp_failed", obj=user)
        return False
    with transaction.atomic():
        if user.totp_confirmed_at is None:
            user.totp_confirmed_at = timezone.now()
            user.save(update_fields=["totp_confirmed_at"])
            audit.record(actor=user, action="auth.totp_enrolled", obj=user)
        audit.record(actor=user, action="auth.totp_passed", obj=user)
    return True


@transaction.atomic
def assign_role(*, actor, user: User, role: str, organization) -> RoleAssignment:
    """Give a user a role at an organisation inside the actor's scope; nobody grants more than they hold."""
    if role not in ROLES:
        raise ValidationError({"role": _("Unknown role.")})
    assert_in_scope(organization, actor, "accounts.manage")
    held = set().union(*(perms_of(a.role) for a in actor.role_assignments.all()))
    if not perms_of(role) <= held:
        raise PermissionDenied(_("You cannot grant a role with permissions you do not hold."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization, defaults={"granted_by": actor}
    )
    if created:
        audit.record(actor=actor, action="role.assign", obj=assignment, after={"user": user.pk, "role": role})
    return assignment


@transaction.atomic
def create_api_token(*, actor, name: str, organization, permissions: list[str], days: int) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and only its hash is stored."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the token a name that says which system uses it.")
    if not 1 <= days <= 366:
        errors["days"] = _("A token lives between 1 and 366 days.")
    unknown = [p for p in permissions if p not in perms_of("city_admin") | perms_of("auditor")]
    if unknown or not permissions:
        errors["permissions"] = _("Choose at least one valid permission.")
    if errors:
        raise ValidationError(errors)
    if not scope_of(actor, "security.manage").covers_path(organization.path):
        raise PermissionDenied
    prefix, raw = ApiToken.generate()
    token = ApiToken.objects.create(
        name=name.strip(),
        prefix=prefix,
        key_hash=hash_token(raw),
        organization=organization,
        permissions=sorted(set(permissions)),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(actor=actor, action="token.create", obj=token, after={"permissions": token.permissions, "days": days})
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor, token: ApiToken) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    assert_in_scope(token, actor, "security.manage")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="token.revoke", obj=token)


def authenticate_token(raw: str) -> ApiToken | None:
    if not raw or not raw.startswith("gh_"):
        return None
    token = ApiToken.objects.select_related("organization").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_usable:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assert_in_scope(assignment, actor, "accounts.manage")
    if assignment.user_id == actor.pk:
        raise ValidationError(_("You cannot remove your own role; ask another administrator."))
    audit.record(actor=actor, action="role.revoke", obj=assignment,
                 before={"user": assignment.user_id, "role": assignment.role})
    assignment.delete()


def find_user(login: str) -> User | None:
    """A user by user name or mobile number."""
    login = (login or "").strip()
    if not login:
        return None
    return User.objects.filter(username=login).first() or User.objects.filter(mobile=login).first()
