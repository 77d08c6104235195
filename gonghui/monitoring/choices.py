from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    PUSH = "push", _("Partner push (API)")
    FEED = "feed", _("RSS / Atom feed")
    UPLOAD = "upload", _("Excel / CSV upload")
    HALL = "hall", _("Service-hall requests")
    HOTLINE = "hotline", _("12351 hotline notes")


class FeedStatus(models.TextChoices):
    NEW = "new", _("Not pulled yet")
    OK = "ok", _("OK")
    FAILING = "failing", _("Failing, backing off")


class Category(models.TextChoices):
    """The stable risk-category codes (issue 5); the text engine uses the same codes."""

    WAGE_ARREARS = "wage_arrears", _("Wage arrears")
    OVERTIME_HOURS = "overtime_hours", _("Overtime and working hours")
    CONTRACT = "contract", _("Labour contracts")
    DISMISSAL_LAYOFF = "dismissal_layoff", _("Dismissal and layoffs")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance and housing fund")
    INJURY_SAFETY = "injury_safety", _("Work injury and safety")
    COLLECTIVE_ACTION = "collective_action", _("Collective action")
    ENTERPRISE_CLOSURE = "enterprise_closure", _("Enterprise closure or owner fled")
    DISCRIMINATION = "discrimination", _("Discrimination")


class Severity(models.TextChoices):
    NONE = "none", _("None")
    BLUE = "blue", _("Blue")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


SEVERITY_RANK = {"none": 0, "blue": 1, "yellow": 2, "orange": 3, "red": 4}


def severity_at_least(value: str, threshold: str) -> bool:
    return SEVERITY_RANK.get(value or "none", 0) >= SEVERITY_RANK.get(threshold or "none", 0)


def max_severity(*values: str) -> str:
    return max((v or "none" for v in values), key=lambda v: SEVERITY_RANK.get(v, 0))


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


def sentiment_label(score: float) -> str:
    if score <= -0.2:
        return Sentiment.NEGATIVE
    if score >= 0.2:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


class AlertScope(models.TextChoices):
    ENTERPRISE = "enterprise", _("One enterprise")
    DISTRICT = "district", _("One district")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class WarningOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved: the dispute was settled")
    REFERRED = "referred", _("Referred to mediation, arbitration or the authorities")
    FALSE_ALARM = "false_alarm", _("No dispute found")


class BriefKind(models.TextChoices):
    DAILY = "daily", _("Daily brief")
    WEEKLY = "weekly", _("Weekly brief")


class TaskKind(models.TextChoices):
    CLARIFY = "clarify", _("Clarify the facts")
    RESPOND = "respond", _("Respond publicly")
    REPORT = "report", _("Report the post to the platform")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
