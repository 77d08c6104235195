from django.db import models
from django.utils.translation import gettext_lazy as _


class EmploymentForm(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    TRUCK_DRIVER = "truck_driver", _("Truck driver")
    RIDE_HAILING_DRIVER = "ride_hailing", _("Ride-hailing driver")
    COURIER = "courier", _("Courier")
    FOOD_DELIVERY = "food_delivery", _("Food-delivery rider")
    CARE_WORKER = "care_worker", _("Care worker")
    DOMESTIC_WORKER = "domestic", _("Domestic worker")
    MALL_INFORMATION = "mall_info", _("Mall information worker")
    REAL_ESTATE_AGENT = "estate_agent", _("Real-estate agent")
    SECURITY_GUARD = "security_guard", _("Security guard")
    OTHER_FLEXIBLE = "flexible", _("Other flexible work")


# The four priority groups of new forms of employment since 2021.
PRIORITY_NEW_EMPLOYMENT = {
    EmploymentForm.TRUCK_DRIVER, EmploymentForm.RIDE_HAILING_DRIVER, EmploymentForm.COURIER,
    EmploymentForm.FOOD_DELIVERY,
}


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETAINED = "retained", _("Retained (retired or unemployed)")
    HELD_BY_UPPER = "held_upper", _("Held by the upper union")
    TRANSFERRED = "transferred", _("Transferred out")
    ENDED = "ended", _("Ended")


CURRENT_STATUSES = [MembershipStatus.ACTIVE, MembershipStatus.RETAINED, MembershipStatus.HELD_BY_UPPER]


class SkillLevel(models.TextChoices):
    """职业技能等级, with the newer ladder's extra steps below and above."""

    APPRENTICE = "apprentice", _("Apprentice (学徒工)")
    LEVEL5 = "5", _("Level 5 / junior worker (五级/初级工)")
    LEVEL4 = "4", _("Level 4 / intermediate worker (四级/中级工)")
    LEVEL3 = "3", _("Level 3 / senior worker (三级/高级工)")
    LEVEL2 = "2", _("Level 2 / technician (二级/技师)")
    LEVEL1 = "1", _("Level 1 / senior technician (一级/高级技师)")
    SPECIAL = "special", _("Special-grade technician (特级技师)")
    CHIEF = "chief", _("Chief technician (首席技师)")


class MembershipEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    IMPORTED = "imported", _("Entered from a roster")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    RETAINED = "retained", _("Membership retained (retired or unemployed)")
    HELD_BY_UPPER = "held_upper", _("Held by the upper union (enterprise closed)")
    REACTIVATED = "reactivated", _("Active again")
    ENDED = "ended", _("Ended")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for both unions")
    CONFIRMED = "confirmed", _("Completed")
    REJECTED = "rejected", _("Refused")
    CANCELLED = "cancelled", _("Withdrawn")
