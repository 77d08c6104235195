from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from gonghui.core.api import KeysetPage


class MatchIn(Schema):
    text: str = Field(..., min_length=1, max_length=1000, description="What work the person wants and can do.")
    region: str = Field("", max_length=6, description="GB/T 2260 district code.")
    salary: int | None = Field(None, ge=0, le=10_000_000, description="Lowest acceptable monthly salary (¥).")
    education: str = Field("", max_length=24, description="Education code held (any, junior_high … doctorate).")
    experience_years: int | None = Field(None, ge=0, le=60)
    skills: list[str] = Field([], max_length=30)
    occupations: list[str] = Field([], max_length=10, description="Occupation codes or names wanted.")
    priority_groups: list[str] = Field([], max_length=5)
    k: int = Field(10, ge=1, le=50)


class ReasonOut(Schema):
    code: str
    params: dict


class MatchOut(Schema):
    posting_id: int
    title: str
    employer: str
    district: str
    salary: str
    score: float
    reasons: list[str]
    reason_codes: list[ReasonOut]


class PostingOut(Schema):
    id: int
    title: str
    employer_uscc: str
    employer_name: str
    occupation_code: str
    industry_code: str
    district_code: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_months: int
    salary_negotiable: bool
    education: str
    experience_years: int
    skills: list[str]
    headcount: int
    closes_on: date
    status: str
    published_at: datetime | None


class PostingPage(KeysetPage):
    items: list[PostingOut]


class SeekerOut(Schema):
    id: int
    name: str
    mobile: str
    desired_occupations: list[str]
    desired_districts: list[str]
    desired_salary: Decimal | None
    education: str
    experience_years: int
    skills: list[str]
    certificates: list[dict]
    priority_groups: list[str]
    updated_at: datetime


class SeekerPage(KeysetPage):
    items: list[SeekerOut]


class PlacementOut(Schema):
    id: int
    posting_id: int
    hired_on: date
    district_code: str
    industry_code: str
    occupation_code: str
    priority_groups: list[str]


class PlacementPage(KeysetPage):
    items: list[PlacementOut]


class ArchiveOut(Schema):
    id: str
    name: str
    organization_id: int | None
    size: int
    created_at: datetime


class ArchivePage(KeysetPage):
    items: list[ArchiveOut]
