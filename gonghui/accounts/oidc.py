"""OpenID Connect sign-in through the city's one-stop portal (mozilla-django-oidc underneath).

A portal account is matched by its (issuer, subject) link, else by a *verified* mobile number, else a new
worker account is created; every link is audited. Issuer and audience of the ID token are checked here
(the library leaves the audience unchecked)."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from gonghui.accounts.models import ExternalIdentity, User
from gonghui.accounts.services import MOBILE_RE
from gonghui.core import audit

logger = logging.getLogger(__name__)


def _verified_mobile(claims) -> str | None:
    mobile = str(claims.get("phone_number", "")).removeprefix("+86").strip()
    if claims.get("phone_number_verified") is True and MOBILE_RE.match(mobile):
        return mobile
    return None


class GonghuiOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        """A forged or misdirected token is a failed sign-in (back to the login page), not a server error."""
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            logger.warning("portal sign-in refused: %s", exc)
            audit.record(actor=None, action="auth.oidc_refused", note=str(exc)[:500])
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.OIDC_ISSUER or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued by another provider or for another client.")
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        linked = User.objects.filter(external_identities__issuer=settings.OIDC_ISSUER,
                                     external_identities__subject=str(claims["sub"]), is_active=True)
        if linked.exists():
            return linked
        mobile = _verified_mobile(claims)
        if mobile:
            return User.objects.filter(mobile=mobile, is_active=True)
        return User.objects.none()

    @transaction.atomic
    def create_user(self, claims):
        mobile = _verified_mobile(claims)
        if mobile and User.objects.filter(mobile=mobile).exists():
            mobile = None
        user = User.objects.create_user(username=f"oidc-{uuid.uuid4().hex[:12]}", mobile=mobile,
                                        display_name=str(claims.get("name", ""))[:60])
        self._link(user, claims, created=True)
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        self._link(user, claims, created=False)
        return user

    def _link(self, user, claims, *, created: bool) -> None:
        identity, new = ExternalIdentity.objects.get_or_create(
            issuer=settings.OIDC_ISSUER, subject=str(claims["sub"]), defaults={"user": user})
        if new:
            audit.record(actor=user, action="auth.oidc_link", obj=user,
                         after={"issuer": settings.OIDC_ISSUER, "created": created})
        audit.record(actor=user, action="auth.oidc_login", obj=user)
