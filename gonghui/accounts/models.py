import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import ROLE_CHOICES, ROLES, perms_of
from gonghui.core.crypto import EncryptedTextField
from gonghui.core.masking import mask_mobile
from gonghui.core.scoping import OrgScopedManager, Scope


class User(AbstractUser):
    """A sign-in: a worker by mobile number and SMS code, or staff by password (plus TOTP for admins)."""

    mobile = models.CharField(_("mobile"), max_length=11, unique=True, null=True, blank=True)
    display_name = models.CharField(_("name"), max_length=60, blank=True)
    totp_secret = EncryptedTextField(blank=True, default="")
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()
    audit_masks = {"mobile": mask_mobile}

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @cached_property
    def _assignments(self) -> list["RoleAssignment"]:
        return list(self.role_assignments.select_related("organization"))

    def has_gonghui_perm(self, perm: str) -> bool:
        return any(perm in perms_of(a.role) for a in self._assignments)

    @property
    def is_staff_member(self) -> bool:
        return bool(self._assignments)

    @property
    def requires_2fa(self) -> bool:
        return any(ROLES[a.role].requires_2fa for a in self._assignments if a.role in ROLES)

    def role_organizations(self, perm: str):
        return [a.organization for a in self._assignments if perm in perms_of(a.role)]

    def scope_for(self, perm: str) -> Scope:
        cache = self.__dict__.setdefault("_scope_cache", {})
        if perm not in cache:
            from gonghui.accounts.scopes import build_scope

            cache[perm] = build_scope(self.role_organizations(perm), user_id=self.pk)
        return cache[perm]


class RoleAssignment(models.Model):
    """A staff member holding one role at one organisation (reaching its subtree and coverage)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=ROLE_CHOICES)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="role_assignments")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="role_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    @property
    def audit_organization(self):
        return self.organization


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A partner system's key: hashed, bound to one organisation and a set of permissions, expiring."""

    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="api_tokens")
    permissions = models.JSONField(_("permissions"), default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    is_authenticated = True
    is_anonymous = False

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"token {self.prefix}… ({self.name})"

    @property
    def audit_organization(self):
        return self.organization

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def generate() -> tuple[str, str]:
        prefix = secrets.token_hex(4)
        return prefix, f"gh_{prefix}_{secrets.token_urlsafe(32)}"

    def has_gonghui_perm(self, perm: str) -> bool:
        return perm in self.permissions

    def scope_for(self, perm: str) -> Scope:
        from gonghui.accounts.scopes import build_scope

        if perm not in self.permissions:
            return Scope()
        return build_scope([self.organization])


class SmsCode(models.Model):
    """A one-time sign-in code sent by SMS; stored hashed, a few tries, short-lived."""

    mobile = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginFailure(models.Model):
    """Failed sign-ins per (login name, address), for lock-out with back-off that can't lock out a cadre
    from elsewhere."""

    login = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["login", "ip"], name="login_failure_unique")]


class ExternalIdentity(models.Model):
    """A link from an account at an outside identity provider (the city's one-stop portal) to a user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")]

    def __str__(self):
        return f"{self.issuer} {self.subject}"
