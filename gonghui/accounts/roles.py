"""Roles and their permissions, declared in code. The database only says who holds which role where
(RoleAssignment). A permission reaches the subtree of the assignment's organisation and its coverage."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "dashboard.view": _("See the workbench dashboard"),
    "orgs.view": _("See organisations"),
    "orgs.manage": _("Create and edit organisations and coverage"),
    "enterprises.view": _("See enterprises"),
    "enterprises.manage": _("Create and edit enterprises"),
    "data.export": _("Export lists to Excel"),
    "members.view": _("See member files"),
    "members.view_sensitive": _("See ID numbers and other sensitive data in full"),
    "files.view": _("Open uploaded private files"),
    "audit.view": _("Browse the audit log"),
    "accounts.manage": _("Assign roles and manage staff accounts"),
    "security.manage": _("Manage API tokens, lock-outs and security settings"),
    "admin.site": _("Use the configuration admin"),
    "hall.handle": _("Handle service-hall requests"),
    "hall.view": _("See service-hall requests, ratings and statistics"),
    "hardship.view": _("See hardship applications and files (sensitive)"),
    "hardship.verify": _("Verify hardship applications and record home visits"),
    "hardship.approve": _("Approve hardship files"),
    "hardship.pay": _("Pay aid and manage budget lines"),
    "wishes.manage": _("Verify and publish wishes, approve donors, run matching"),
}


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    perms: frozenset[str]
    requires_2fa: bool = False


_VIEW = {"dashboard.view", "orgs.view", "enterprises.view", "members.view", "hall.view"}

ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        # Separation of duties (等保 2.0): the system administrator does not read the audit log and
        # does not manage security; the auditor reads, never writes; the security administrator
        # manages tokens and lock-outs.
        Role(
            "city_admin",
            _("City administrator"),
            frozenset(_VIEW | {"orgs.manage", "enterprises.manage", "data.export", "members.view_sensitive",
                               "files.view", "accounts.manage", "admin.site", "hall.handle", "hardship.view",
                               "hardship.verify", "hardship.approve", "hardship.pay", "wishes.manage"}),
            requires_2fa=True,
        ),
        Role(
            "district_admin",
            _("District administrator"),
            frozenset(_VIEW | {"orgs.manage", "enterprises.manage", "data.export", "members.view_sensitive",
                               "files.view", "accounts.manage", "hall.handle", "hardship.view",
                               "hardship.verify", "hardship.approve", "hardship.pay", "wishes.manage"}),
            requires_2fa=True,
        ),
        Role(
            "grassroots_cadre",
            _("Grassroots union cadre"),
            frozenset(_VIEW | {"enterprises.manage", "data.export", "files.view", "hall.handle", "hardship.view",
                               "hardship.verify", "hardship.pay", "wishes.manage"}),
        ),
        Role("auditor", _("Auditor"), frozenset(_VIEW | {"audit.view"})),
        Role("security_admin", _("Security administrator"), frozenset({"security.manage", "dashboard.view"}),
             requires_2fa=True),
    ]
}

ROLE_CHOICES = [(code, role.label) for code, role in ROLES.items()]


def perms_of(role_code: str) -> frozenset[str]:
    role = ROLES.get(role_code)
    return role.perms if role else frozenset()
