import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.members.choices import EmploymentForm, SkillLevel
from gonghui.orgs.choices import CoverageKind, OrgKind
from gonghui.orgs.models import Enterprise, Organization, Region


class JoinForm(forms.Form):
    """The phone-first join form. Field-level checks here; the rules (ID number, already a member, one open
    application) in organizing.services.apply_to_join."""

    name = forms.CharField(label=_("Name (as on your ID card)"), max_length=60)
    id_number = forms.CharField(label=_("ID card number"), max_length=18, min_length=1,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    mobile = forms.CharField(label=_("Mobile"), max_length=11,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    employment_form = forms.ChoiceField(label=_("How do you work?"), choices=EmploymentForm.choices)
    employer_name = forms.CharField(label=_("Employer or platform, as you call it"), max_length=120, required=False)
    employer_uscc = forms.CharField(
        label=_("Employer's unified social credit code (optional)"), max_length=18, required=False,
        help_text=_("On the business licence or the pay slip; it sends your application straight to your "
                    "employer's union."))
    platform = forms.ModelChoiceField(
        label=_("Platform you work through (riders, drivers, couriers)"), required=False,
        queryset=Enterprise.objects.filter(is_active=True, covered_by__kind=CoverageKind.INDUSTRY).distinct()
        .order_by("name"),
        help_text=_("The platforms whose workers an industry union covers."))
    occupation = forms.CharField(label=_("Occupation"), max_length=60, required=False)
    skill_level = forms.ChoiceField(label=_("Skill level"), choices=[("", "—"), *SkillLevel.choices], required=False)
    home_region = forms.ModelChoiceField(label=_("District where you live"),
                                         queryset=Region.objects.filter(parent__isnull=False).order_by("code"))
    home_street = forms.ModelChoiceField(
        label=_("Street / town where you live"), required=False,
        queryset=Organization.objects.filter(kind=OrgKind.STREET_FEDERATION, is_active=True).order_by("name"))
    agree = forms.BooleanField(label=_("I agree that my union keeps my real-name file to manage my membership."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex

    def clean_employer_uscc(self):
        code = self.cleaned_data["employer_uscc"].strip().upper()
        if not code:
            return ""
        if not Enterprise.objects.filter(uscc=code, is_active=True).exists():
            raise forms.ValidationError(_("No operating enterprise is registered with this code. Check it, or just "
                                          "write your employer's name above."))
        return code

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        code = data.pop("employer_uscc", "")
        data["employer"] = Enterprise.objects.filter(uscc=code, is_active=True).first() if code else None
        return data


class TransferForm(forms.Form):
    to_union = forms.ModelChoiceField(
        label=_("Move my membership to"),
        queryset=Organization.objects.filter(is_active=True).exclude(kind=OrgKind.CITY_FEDERATION).order_by("path"))
    reason = forms.CharField(label=_("Why"), max_length=200)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
