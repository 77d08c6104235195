from datetime import date, datetime

from ninja import Field, Schema

from gonghui.core.api import KeysetPage


class JoinIn(Schema):
    name: str = Field(..., max_length=60, description="Name as on the ID card")
    id_number: str = Field(..., max_length=18, description="居民身份证号 (checked: check character, birth date, region)")
    mobile: str = Field(..., max_length=11)
    employment_form: str = Field(..., description="A code of members.EmploymentForm (employee, food_delivery, …)")
    employer_id: int | None = Field(None, description="Enterprise id of the employer, if registered")
    employer_name: str = Field("", max_length=120)
    platform_id: int | None = Field(None, description="Enterprise id of the platform (riders, drivers, couriers)")
    occupation: str = Field("", max_length=60)
    skill_level: str = Field("", max_length=12)
    home_region: str = Field(..., max_length=6, description="GB/T 2260 code of the district where the applicant lives")
    home_street_id: int | None = Field(None, description="Organisation id of the street / town union where they live")
    union_token: str = Field("", max_length=200, description="The token of a union's join QR code, if scanned")


class JoinOut(Schema):
    reference: str
    status: str
    handling_organization: str
    route: str
    due_date: date | None


class JoinApplicationOut(Schema):
    reference: str
    name: str
    id_number_masked: str
    employment_form: str
    route: str
    status: str
    handling_organization_id: int
    submitted_at: datetime


class JoinApplicationPage(KeysetPage):
    items: list[JoinApplicationOut]


class CardCheckOut(Schema):
    valid: bool
    reason: str
    masked_name: str
    union: str
    status: str


class TransferIn(Schema):
    membership_id: int | None = Field(None, description="Staff: the membership to move. Members: leave empty (their own)")
    to_union_id: int
    reason: str = Field(..., max_length=200)


class TransferOut(Schema):
    id: int
    membership_id: int
    from_union_id: int
    to_union_id: int
    reason: str
    status: str
    out_confirmed_at: datetime | None
    in_confirmed_at: datetime | None
    refusal_reason: str
    requested_at: datetime


class TransferPage(KeysetPage):
    items: list[TransferOut]


class RefuseIn(Schema):
    reason: str = Field(..., max_length=200)
