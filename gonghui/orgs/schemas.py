from datetime import datetime

from ninja import Field, Schema

from gonghui.core.api import KeysetPage


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    depth: int
    region_id: str | None
    is_active: bool


class OrganizationPage(KeysetPage):
    items: list[OrganizationOut]


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    industry_id: str
    size_class: str
    ownership: str
    headcount: int
    region_id: str
    address: str
    owner_organization_id: int
    union_id: int | None
    is_active: bool
    created_at: datetime


class EnterprisePage(KeysetPage):
    items: list[EnterpriseOut]


class EnterpriseIn(Schema):
    name: str = Field(..., min_length=2, max_length=120)
    uscc: str = Field(..., min_length=18, max_length=18, description="统一社会信用代码 (GB 32100-2015)")
    industry_id: str = Field(..., max_length=4, description="GB/T 4754-2017 division (大类), two digits")
    size_class: str = Field(..., description="large, medium, small or micro")
    ownership: str
    headcount: int = Field(..., ge=0, le=10_000_000)
    region_id: str = Field(..., min_length=6, max_length=6, description="GB/T 2260 district code")
    address: str = Field("", max_length=200)
    owner_organization_id: int
    union_id: int | None = None


class EnterprisePatch(Schema):
    name: str | None = Field(None, min_length=2, max_length=120)
    headcount: int | None = Field(None, ge=0, le=10_000_000)
    address: str | None = Field(None, max_length=200)
    size_class: str | None = None
    is_active: bool | None = None
