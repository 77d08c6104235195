from django.db import models
from django.utils.translation import gettext_lazy as _


class WishCategory(models.TextChoices):
    STUDY = "study", _("Study and school supplies")
    DAILY = "daily", _("Daily necessities")
    HEALTH = "health", _("Health and rehabilitation")
    CLOTHING = "clothing", _("Clothing and bedding")
    APPLIANCE = "appliance", _("Small household appliances")
    CULTURE = "culture", _("Books, culture and sports")
    OTHER = "other", _("Other")


class WishStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the union to verify")
    PUBLISHED = "published", _("On the wall, waiting for a donor")
    CLAIMED = "claimed", _("Claimed by a donor")
    DELIVERED = "delivered", _("Delivered")
    RECEIVED = "received", _("Received, thank you")
    REJECTED = "rejected", _("Not published")


class DonorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")


class DonorStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
