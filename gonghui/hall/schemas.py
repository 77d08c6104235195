from datetime import date, datetime

from ninja import Field, Schema

from gonghui.core.api import KeysetPage


class ServiceTypeOut(Schema):
    code: str
    name: str
    description: str
    materials: list[str]
    applicant_kind: str
    handling_level: str
    deadline_days: int = Field(..., description="Deadline in working days")
    online: bool
    offline: bool


class RequestOut(Schema):
    reference: str
    service_code: str
    status: str
    status_label: str
    channel: str
    handling_organization: str
    submitted_at: datetime
    due_date: date | None
    closed_at: datetime | None

    @staticmethod
    def resolve_service_code(obj):
        return obj.service_type.code

    @staticmethod
    def resolve_handling_organization(obj):
        return obj.handling_organization.name


class RequestPage(KeysetPage):
    items: list[RequestOut]


class EventOut(Schema):
    at: datetime
    kind: str
    action: str
    to_status: str
    note: str


class RequestDetailOut(RequestOut):
    summary: str
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return obj.timeline


class RequestIn(Schema):
    service_code: str = Field(..., max_length=40)
    summary: str = Field(..., min_length=1, max_length=2000)


class TransitionIn(Schema):
    action: str = Field(..., max_length=40)
    note: str = Field("", max_length=2000)


class RatingIn(Schema):
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)
    real_name: bool = True


class RatingOut(Schema):
    score: int
    rectification_opened: bool
