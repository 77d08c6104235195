from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CITY_FEDERATION = "city", _("City federation of trade unions")
    DISTRICT_UNION = "district", _("District / county union")
    INDUSTRY_UNION = "industry", _("Industry union")
    STREET_FEDERATION = "street", _("Street / town federation")
    PARK_FEDERATION = "park", _("Park federation")
    BUILDING_FEDERATION = "building", _("Building federation")
    PROJECT_FEDERATION = "project", _("Project federation")
    GRASSROOTS_UNION = "grassroots", _("Grassroots union")
    JOINT_GRASSROOTS_UNION = "joint", _("Joint grassroots union")


# Which kinds may sit under which: the leadership tree of a city.
ALLOWED_CHILDREN = {
    OrgKind.CITY_FEDERATION: {OrgKind.DISTRICT_UNION, OrgKind.INDUSTRY_UNION},
    OrgKind.DISTRICT_UNION: {
        OrgKind.STREET_FEDERATION, OrgKind.PARK_FEDERATION, OrgKind.BUILDING_FEDERATION,
        OrgKind.PROJECT_FEDERATION, OrgKind.INDUSTRY_UNION, OrgKind.GRASSROOTS_UNION,
        OrgKind.JOINT_GRASSROOTS_UNION,
    },
    OrgKind.INDUSTRY_UNION: {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION, OrgKind.PROJECT_FEDERATION},
    OrgKind.STREET_FEDERATION: {
        OrgKind.PARK_FEDERATION, OrgKind.BUILDING_FEDERATION, OrgKind.PROJECT_FEDERATION,
        OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION,
    },
    OrgKind.PARK_FEDERATION: {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION, OrgKind.BUILDING_FEDERATION},
    OrgKind.BUILDING_FEDERATION: {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION},
    OrgKind.PROJECT_FEDERATION: {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION},
    OrgKind.GRASSROOTS_UNION: set(),
    OrgKind.JOINT_GRASSROOTS_UNION: set(),
}

UNION_KINDS = {OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION}


class CoverageKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry leadership")
    PARK = "park", _("Park")
    BUILDING = "building", _("Building")
    PROJECT = "project", _("Project")
    JOINT = "joint", _("Joint grassroots union")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    HK_MACAO_TAIWAN = "hmt", _("Hong Kong, Macao and Taiwan invested")
    MIXED = "mixed", _("Mixed ownership")
    INSTITUTION = "institution", _("Public institution")
    SOCIAL = "social", _("Social organisation")
