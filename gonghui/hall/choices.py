from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("Walk-in (entered by staff)")
    HOTLINE = "hotline", _("12351 hotline")


class HandlingLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots union")
    STREET = "street", _("Street / town federation")
    DISTRICT = "district", _("District / county union")
    CITY = "city", _("City federation")


class ApplicantKind(models.TextChoices):
    MEMBER = "member", _("Union members")
    WORKER = "worker", _("Workers, members or not")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRANSITION = "transition", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    ATTACHMENT = "attachment", _("Material added")
    REMINDED = "reminded", _("Deadline reminder")
    ESCALATED = "escalated", _("Escalated to the union above")
    RATED = "rated", _("Rated")
    RECTIFICATION = "rectification", _("Bad rating handled")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("To verify")
    VERIFIED = "verified", _("Verified, to fix")
    FIXED = "fixed", _("Fixed, to answer")
    ANSWERED = "answered", _("Answered")
