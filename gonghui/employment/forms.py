import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.employment.choices import (
    ApplicationStatus,
    ContactVisibility,
    Education,
    FairMode,
    FairTheme,
    PriorityGroup,
    SkillLevel,
)
from gonghui.employment.data.occupations import OCCUPATION_CHOICES
from gonghui.employment.models import Campaign
from gonghui.orgs.models import Industry, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def districts():
    return Region.objects.filter(parent__isnull=False).order_by("code")


class EmployerForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    contact_name = forms.CharField(label=_("Contact person"), max_length=40)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)


class PostingForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=80)
    occupation_code = forms.ChoiceField(label=_("Occupation (national classification)"),
                                        choices=[("", "—")] + OCCUPATION_CHOICES, required=False)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.filter(section__isnull=False))
    region = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none())
    salary_min = forms.DecimalField(label=_("Monthly salary from (¥)"), min_value=Decimal("0"), max_digits=10,
                                    decimal_places=0, required=False)
    salary_max = forms.DecimalField(label=_("Monthly salary to (¥)"), min_value=Decimal("0"), max_digits=10,
                                    decimal_places=0, required=False)
    salary_months = forms.IntegerField(label=_("Months paid a year"), initial=12, min_value=12, max_value=24)
    salary_negotiable = forms.BooleanField(label=_("Salary negotiable"), required=False)
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices, initial=Education.ANY)
    experience_years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=40, initial=0)
    skills = forms.CharField(label=_("Skills (separated by commas)"), max_length=300, required=False)
    headcount = forms.IntegerField(label=_("Head count"), min_value=1, max_value=10000, initial=1)
    benefits = forms.CharField(label=_("Benefits"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=40)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    closes_on = forms.DateField(label=_("Closing date"), widget=DATE)
    campaigns = forms.ModelMultipleChoiceField(label=_("Campaigns"), queryset=Campaign.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description and requirements"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = districts()
        from django.utils import timezone

        from gonghui.employment.services import campaigns_for_employer

        # Only the campaigns of the employer's own union and the unions above it.
        self.fields["campaigns"].queryset = (campaigns_for_employer(employer).filter(
            ends_on__gte=timezone.localdate()) if employer is not None else Campaign.objects.none())

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["skills"] = [s.strip() for s in (data.get("skills") or "").replace("，", ",").replace("、", ",").split(",")
                          if s.strip()]
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Publish")), ("return", _("Return for changes"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note to the employer"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    campaigns = forms.ModelMultipleChoiceField(label=_("Campaigns"), queryset=Campaign.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, posting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if posting is not None:
            from gonghui.employment.services import campaigns_for_employer

            self.fields["campaigns"].queryset = campaigns_for_employer(posting.employer)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SeekerForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=60)
    mobile = forms.CharField(label=_("Mobile"), max_length=11)
    summary = forms.CharField(label=_("About me: work done, what I look for"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    desired_occupations = forms.CharField(label=_("Desired jobs (separated by commas)"), max_length=200,
                                          required=False)
    desired_regions = forms.ModelMultipleChoiceField(label=_("Desired districts"), queryset=Region.objects.none(),
                                                     required=False, widget=forms.CheckboxSelectMultiple)
    desired_salary = forms.DecimalField(label=_("Lowest monthly salary I accept (¥)"), min_value=Decimal("0"),
                                        max_digits=10, decimal_places=0, required=False)
    skills = forms.CharField(label=_("Skills (separated by commas)"), max_length=300, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=Education.choices)
    experience_years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=60, initial=0)
    certificate = forms.CharField(label=_("Skill certificate (occupation)"), max_length=40, required=False)
    certificate_level = forms.ChoiceField(label=_("Certificate level"), choices=[("", "—")] + SkillLevel.choices,
                                          required=False)
    priority_groups = forms.MultipleChoiceField(label=_("Priority groups I belong to"), choices=PriorityGroup.choices,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    contact_visibility = forms.ChoiceField(label=_("Who may see my mobile"), choices=ContactVisibility.choices,
                                           widget=forms.RadioSelect)
    share_with_hr_bureau = forms.BooleanField(
        label=_("I agree that the union shares my profile with the HR and social security bureau for employment "
                "services"), required=False)
    is_active = forms.BooleanField(label=_("I am looking for work"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desired_regions"].queryset = districts()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["desired_regions"] = [r.code for r in data["desired_regions"]]
        certificate, level = data.pop("certificate", ""), data.pop("certificate_level", "")
        data["certificates"] = [{"name": certificate.strip(), "level": level}] if certificate.strip() else []
        data.pop("share_with_hr_bureau", None)
        return data


class QuickMatchForm(forms.Form):
    q = forms.CharField(label=_("What work are you looking for?"), max_length=500,
                        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("e.g. 会开叉车，找仓库管理的工作")}))
    region = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.none(), required=False)
    salary = forms.DecimalField(label=_("Lowest monthly salary (¥)"), min_value=Decimal("0"), max_digits=10,
                                decimal_places=0, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=[("", "—")] + Education.choices, required=False)
    experience_years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = districts()


class ApplyForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(label=_("A word to the employer (optional)"), max_length=500, required=False)

    @staticmethod
    def fresh():
        return ApplyForm(initial={"idempotency_key": secrets.token_hex(16)})


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=[(s, label) for s, label in ApplicationStatus.choices
                                        if s not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)])
    note = forms.CharField(label=_("Note to the seeker"), max_length=300, required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), choices=FairTheme.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class FairForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), choices=FairTheme.choices)
    mode = forms.ChoiceField(label=_("Format"), choices=FairMode.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    stream_url = forms.URLField(label=_("Live-stream link"), required=False, assume_scheme="https")
    quota = forms.IntegerField(label=_("Seats for seekers"), min_value=1, max_value=100000)
    priority_quota = forms.IntegerField(label=_("Seats held for priority groups"), min_value=0, initial=0)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)


class BoothForm(forms.Form):
    employer = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label=_("Booth"), max_length=10, required=False)


class CheckInForm(forms.Form):
    token = forms.CharField(label=_("Ticket code (scan the QR code)"), max_length=400)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx) with the exchange columns"))


class ExportForm(forms.Form):
    what = forms.ChoiceField(label=_("What"), choices=[
        ("postings", _("Postings")), ("placements", _("Placements")),
        ("seekers", _("Seekers who consented to sharing with the HR bureau"))], initial="postings",
        required=False)
    since = forms.DateField(label=_("From"), widget=DATE)
    until = forms.DateField(label=_("To"), widget=DATE)
