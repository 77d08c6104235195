from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Tier(models.TextChoices):
    DEEP = "deep", _("Deep hardship (below the minimum living standard)")
    RELATIVE = "relative", _("Relative hardship (below twice the minimum living standard)")
    ACCIDENT = "accident", _("Hardship from an accident, disaster or serious illness")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("Serious illness")
    DISABILITY = "disability", _("Disability")
    ACCIDENT = "accident", _("Accident")
    DISASTER = "disaster", _("Natural disaster")
    UNEMPLOYMENT = "unemployment", _("Unemployment or layoff")
    EDUCATION = "education", _("Children's education costs")
    LOW_INCOME = "low_income", _("Low income")
    OTHER = "other", _("Other")


class Housing(models.TextChoices):
    OWN = "own", _("Own home")
    RENT = "rent", _("Rented")
    PUBLIC = "public", _("Public or employer housing")
    NONE = "none", _("No stable housing")


class Relation(models.TextChoices):
    SELF = "self", _("Applicant")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", pgettext_lazy("household relation", "Parent")
    OTHER = "other", _("Other relative")


class Exclusion(models.TextChoices):
    TWO_HOMES = "two_homes", _("The household owns two or more homes")
    BUSINESS = "business", _("The household runs a business or employs others")
    PRIVATE_SCHOOL = "private_school", _("A child attends a high-fee private school or studies abroad at own cost")
    MIGRANT_CONDITIONS = "migrant", _("Migrant worker without long-term residence, membership or a year of employment")


class FileStatus(models.TextChoices):
    ACTIVE = "active", _("On file")
    EXITED = "exited", _("Out of hardship")
    SAFETY_NET = "safety_net", _("Transferred to the government safety net")


class AidKind(models.TextChoices):
    LIVING = "living", _("Living assistance")
    MEDICAL = "medical", _("Medical assistance")
    EDUCATION = "education", _("Education assistance (金秋助学)")
    HOLIDAY = "holiday", _("Holiday visit (送温暖)")


class Agency(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")
    CHARITY = "charity", _("Charity")
    COURT_FUND = "court_fund", _("Court hardship fund")
    OTHER = "other", _("Other")


class FileEventKind(models.TextChoices):
    OPENED = "opened", _("File opened")
    INCOME = "income", _("Monthly income recorded")
    AID = "aid", _("Aid paid")
    EXITED = "exited", _("Exited hardship")
    SAFETY_NET = "safety_net", _("Transferred to the safety net")
    REOPENED = "reopened", _("Reopened (fell back into hardship)")
    REFERRAL = "referral", _("Joint relief referral")
    REVIEWED = "reviewed", _("Yearly review")
    RETURN_WARNING = "return_warning", _("Return warning")
