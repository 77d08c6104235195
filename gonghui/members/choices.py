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
