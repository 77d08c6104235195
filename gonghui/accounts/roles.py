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



def grant(perm: str, label, roles: set[str]) -> None:
    """Declare a domain permission and give it to roles. Each domain app adds its block below."""
    PERMISSIONS[perm] = label
    for code in roles:
        role = ROLES[code]
        ROLES[code] = Role(role.code, role.label, role.perms | {perm}, role.requires_2fa)


_UNION_STAFF = {"city_admin", "district_admin", "grassroots_cadre"}

# Membership and union organising (members, organizing).
grant("members.manage", _("Manage memberships: transfers, retained membership, e-cards"), _UNION_STAFF)
grant("members.import", _("Import member rosters into a union"), _UNION_STAFF)
grant("organizing.establish", _("See the establishment backlog and run establishment cases (组建)"), _UNION_STAFF)
# The upper union approves an election and puts the new union into the tree (it needs orgs.manage too).
grant("organizing.approve", _("Approve establishment cases as the upper union"), {"city_admin", "district_admin"})
grant("organizing.targets", _("Set membership and establishment targets for the levels below"),
      {"city_admin", "district_admin"})

# Labour-relations risk and opinion monitoring (monitoring). Posts are scoped by the union covering the
# enterprise they are about (else the district of their region): see monitoring/models.py.
grant("monitoring.view", _("See monitoring posts, hot topics, alerts, warnings and briefs"), _UNION_STAFF)
grant("monitoring.manage", _("Manage monitoring sources, schemes, alerts and commentator tasks"),
      {"city_admin", "district_admin"})
grant("monitoring.warn", _("Work early-warning (四早) cases"), _UNION_STAFF)
grant("monitoring.push", _("Push posts into monitoring (partner systems)"), {"city_admin", "district_admin"})
grant("monitoring.comment", _("Carry out commentator tasks (网评员)"), _UNION_STAFF)

# Employment 会聘 (employment). Postings are scoped by the union that registered the employer's enterprise.
grant("employment.view", _("See postings, seekers and the employment analysis"), _UNION_STAFF)
grant("employment.review", _("Approve employers and review job postings"), _UNION_STAFF)
grant("employment.manage", _("Run job fairs and campaigns, import and export postings"), _UNION_STAFF)
grant("employment.exchange.view",
      _("Pull employment data for the HR bureau: postings, consenting seekers, placements"),
      {"city_admin", "district_admin"})

ROLE_CHOICES = [(code, role.label) for code, role in ROLES.items()]


def perms_of(role_code: str) -> frozenset[str]:
    role = ROLES.get(role_code)
    return role.perms if role else frozenset()
