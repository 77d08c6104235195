from django.db import models
from django.utils.translation import gettext_lazy as _


class JoinRoute(models.TextChoices):
    """Why a join application went to the union it went to (the routing rule that matched)."""

    CHOSEN = "chosen", _("The union whose QR code was scanned")
    EMPLOYER_UNION = "employer", _("The employer's grassroots union")
    EMPLOYER_COVERAGE = "employer_cover", _("The federation or joint union covering the employer")
    PLATFORM_COVERAGE = "platform_cover", _("The federation covering the platform's industry")
    HOME_STREET = "street", _("The street / town union where the applicant lives")
    HOME_DISTRICT = "district", _("The district union where the applicant lives")
    CITY = "city", _("The city federation")
