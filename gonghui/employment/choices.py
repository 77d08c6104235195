from django.db import models
from django.utils.translation import pgettext_lazy

# Labels carry the "employment" context, so another app's translation of the same word never leaks in.


class EmployerStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("employment", "Waiting for the union to approve")
    APPROVED = "approved", pgettext_lazy("employment", "Approved")
    REJECTED = "rejected", pgettext_lazy("employment", "Not approved")
    SUSPENDED = "suspended", pgettext_lazy("employment", "Suspended")


class PostingStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("employment", "Waiting for union review")
    PUBLISHED = "published", pgettext_lazy("employment", "Published")
    RETURNED = "returned", pgettext_lazy("employment", "Returned for changes")
    CLOSED = "closed", pgettext_lazy("employment", "Closed")


class Education(models.TextChoices):
    """Highest education, lowest first (the order is the rank)."""

    ANY = "any", pgettext_lazy("employment", "No requirement")
    JUNIOR_HIGH = "junior_high", pgettext_lazy("employment", "Junior middle school or below")
    HIGH_SCHOOL = "high_school", pgettext_lazy("employment", "Senior high school")
    SECONDARY_VOCATIONAL = "secondary_vocational", pgettext_lazy("employment", "Secondary vocational / technical school")
    ASSOCIATE = "associate", pgettext_lazy("employment", "Junior college (大专)")
    BACHELOR = "bachelor", pgettext_lazy("employment", "Bachelor")
    MASTER = "master", pgettext_lazy("employment", "Master")
    DOCTORATE = "doctorate", pgettext_lazy("employment", "Doctorate")


class SkillLevel(models.TextChoices):
    """职业技能等级 (national vocational skill levels), lowest first."""

    LEVEL5 = "level5", pgettext_lazy("employment", "Level 5 / junior worker")
    LEVEL4 = "level4", pgettext_lazy("employment", "Level 4 / intermediate worker")
    LEVEL3 = "level3", pgettext_lazy("employment", "Level 3 / senior worker")
    LEVEL2 = "level2", pgettext_lazy("employment", "Level 2 / technician")
    LEVEL1 = "level1", pgettext_lazy("employment", "Level 1 / senior technician")


class PriorityGroup(models.TextChoices):
    HARDSHIP_GRADUATE = "hardship_graduate", pgettext_lazy("employment", "Graduate from a hardship family")
    CLOSED_ENTERPRISE = "closed_enterprise", pgettext_lazy("employment", "Worker of a closed, merged or relocated enterprise")
    MIGRANT_WORKER = "migrant_worker", pgettext_lazy("employment", "Migrant worker")
    VETERAN = "veteran", pgettext_lazy("employment", "Veteran")
    DISABILITY = "disability", pgettext_lazy("employment", "Person with a disability")


class ContactVisibility(models.TextChoices):
    PRIVATE = "private", pgettext_lazy("employment", "Nobody: I contact employers myself")
    APPLIED = "applied", pgettext_lazy("employment", "Employers I apply to")
    APPROVED_EMPLOYERS = "employers", pgettext_lazy("employment", "Every approved employer")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("employment", "Submitted")
    VIEWED = "viewed", pgettext_lazy("employment", "Viewed by the employer")
    INTERVIEW = "interview", pgettext_lazy("employment", "Invited to an interview")
    OFFER = "offer", pgettext_lazy("employment", "Offer made")
    HIRED = "hired", pgettext_lazy("employment", "Hired")
    REJECTED = "rejected", pgettext_lazy("employment", "Not successful")
    WITHDRAWN = "withdrawn", pgettext_lazy("employment", "Withdrawn")


# The moves an employer may make, from each state.
APPLICATION_MOVES = {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW, ApplicationStatus.REJECTED},
    ApplicationStatus.VIEWED: {ApplicationStatus.INTERVIEW, ApplicationStatus.REJECTED},
    ApplicationStatus.INTERVIEW: {ApplicationStatus.OFFER, ApplicationStatus.REJECTED},
    ApplicationStatus.OFFER: {ApplicationStatus.HIRED, ApplicationStatus.REJECTED},
}
OPEN_APPLICATION = {ApplicationStatus.SUBMITTED, ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW,
                    ApplicationStatus.OFFER}


class FairTheme(models.TextChoices):
    MODEL_WORKER = "model_worker", pgettext_lazy("employment", "Model-worker enterprises (百位劳模送岗位)")
    GRADUATE = "graduate", pgettext_lazy("employment", "Graduates")
    REEMPLOYMENT = "reemployment", pgettext_lazy("employment", "Re-employment (关停并转)")
    GENERAL = "general", pgettext_lazy("employment", "General")


class FairMode(models.TextChoices):
    ONSITE = "onsite", pgettext_lazy("employment", "On site")
    ONLINE = "online", pgettext_lazy("employment", "Online")
    LIVE = "live", pgettext_lazy("employment", "Live stream")


class FairStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("employment", "Open for registration")
    CLOSED = "closed", pgettext_lazy("employment", "Finished")
