"""The engine's parsers behind field-level messages in the user's language (imports, the API)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gonghui.employment.engine import education as education_parser
from gonghui.employment.engine import experience as experience_parser
from gonghui.employment.engine import salary as salary_parser


def salary(text: str) -> dict:
    """Posting salary fields from job-site text: ``10-15K·14薪``, ``8千-1.2万``, ``18-36万``, ``面议``…"""
    try:
        parsed = salary_parser.parse_salary(text)
    except salary_parser.SalaryError as error:
        messages = {
            "empty": _("Enter the salary (for example 8000-12000, 10-15K·14薪 or 面议)."),
            "min_above_max": _("The lowest salary is above the highest: %(text)s") % {"text": text},
            "implausible": _("The salary is not plausible: %(text)s") % {"text": text},
        }
        raise ValidationError(messages.get(error.code, _("Cannot read the salary: %(text)s") % {"text": text}))
    return {
        "salary_min": Decimal(parsed.min_monthly) if parsed.min_monthly is not None else None,
        "salary_max": Decimal(parsed.max_monthly) if parsed.max_monthly is not None else None,
        "salary_months": parsed.months,
        "salary_negotiable": parsed.negotiable,
    }


def education(text: str) -> str:
    try:
        return education_parser.parse_education(text).code
    except education_parser.EducationError:
        raise ValidationError(_("Cannot read the education level: %(text)s") % {"text": text})


def experience_years(text: str) -> int:
    try:
        return experience_parser.parse_experience(text).min_years
    except experience_parser.ExperienceError:
        raise ValidationError(_("Cannot read the experience requirement: %(text)s") % {"text": text})


def split_words(text: str) -> list[str]:
    for sep in "，、；;/|":
        text = text.replace(sep, ",")
    return [w.strip() for w in text.split(",") if w.strip()][:30]
