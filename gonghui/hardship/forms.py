import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.hall.forms import MultipleFileField
from gonghui.hardship.choices import Agency, AidKind, Cause, Housing, Relation, Tier
from gonghui.orgs.models import Region

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class FactsForm(forms.Form):
    """The household facts shared by the self-test and the application."""

    region = forms.ModelChoiceField(label=_("District where the household lives"),
                                    queryset=Region.objects.filter(parent__isnull=False))
    medical_expenses = forms.DecimalField(label=_("Medical expenses last 12 months (¥)"), initial=0, **MONEY)
    education_expenses = forms.DecimalField(label=_("Education expenses last 12 months (¥)"), initial=0, **MONEY)
    accident_costs = forms.DecimalField(label=_("Necessary costs of an accident, disaster or illness (¥)"),
                                        initial=0, **MONEY)
    insurance_paid = forms.DecimalField(label=_("Paid back by insurance and other aid (¥)"), initial=0, **MONEY)
    homes_count = forms.IntegerField(label=_("Homes owned"), min_value=0, max_value=50, initial=0)
    runs_business = forms.BooleanField(label=_("The household runs a business"), required=False)
    employs_others = forms.BooleanField(label=_("The household employs others"), required=False)
    child_private_high_fee = forms.BooleanField(label=_("A child attends a high-fee private school"), required=False)
    child_abroad_self_funded = forms.BooleanField(label=_("A child studies abroad at own cost"), required=False)
    is_migrant = forms.BooleanField(label=_("I am a migrant worker"), required=False)
    residence_years = forms.IntegerField(label=_("Years living in the city"), min_value=0, max_value=100, initial=0)
    employment_months = forms.IntegerField(label=_("Months with the current employer"), min_value=0, max_value=600,
                                           initial=0)

    def facts(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("region", None)
        return data


class SelfTestForm(FactsForm):
    household_size = forms.IntegerField(label=_("People in the household"), min_value=1, max_value=20, initial=1)
    annual_income = forms.DecimalField(label=_("Household income last 12 months (¥)"), max_value=Decimal("1e8"),
                                       **MONEY)
    field_order = ["region", "household_size", "annual_income"]

    def facts(self) -> dict:
        data = super().facts()
        data.pop("household_size", None)
        data.pop("annual_income", None)
        return data


class ApplyForm(FactsForm):
    housing = forms.ChoiceField(label=_("Housing"), choices=Housing.choices)
    cause = forms.ChoiceField(label=_("Main cause of the hardship"), choices=Cause.choices)
    narrative = forms.CharField(label=_("Describe the family's situation"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Proof: income certificates, medical bills (JPEG, PNG, PDF)"),
                                    required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    field_order = ["region", "housing", "cause", "narrative"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex

    def facts(self) -> dict:
        data = super().facts()
        for key in ("narrative", "attachments", "idempotency_key"):
            data.pop(key, None)
        return data


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    annual_income = forms.DecimalField(label=_("Income last 12 months (¥)"), initial=0, max_value=Decimal("1e8"),
                                       **MONEY)
    note = forms.CharField(label=_("Health, disability, school"), max_length=200, required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=0, min_num=1, max_num=20, validate_min=True,
                                      validate_max=True)


class HomeVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}))
    visitors = forms.CharField(label=_("Visitors"), max_length=120)
    findings = forms.CharField(label=_("What was found"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label=_("Photos (JPEG, PNG, PDF)"), required=False)


class IncomeForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    household_income = forms.DecimalField(label=_("Household income in the month (¥)"), max_value=Decimal("1e7"),
                                          **MONEY)
    household_size = forms.IntegerField(label=_("People"), min_value=1, max_value=20)


class PayForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None)
    kind = forms.ChoiceField(label=_("Aid kind"), choices=AidKind.choices)
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(NoteForm):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)


class ReferralForm(forms.Form):
    agency = forms.ChoiceField(label=_("Refer to"), choices=Agency.choices)
    note = forms.CharField(label=_("What is asked"), max_length=300)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    amount = forms.DecimalField(label=_("Amount granted (¥)"), required=False, **MONEY)


class BudgetLineForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Aid kind"), choices=AidKind.choices)
    name = forms.CharField(label=_("Name"), max_length=80)
    amount = forms.DecimalField(label=_("Amount (¥)"), max_value=Decimal("1e10"), **MONEY)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class OnBehalfForm(ApplyForm):
    """A cadre files the application for a worker (walk-in, home visit, hotline)."""

    id_number = forms.CharField(label=_("The worker's ID card number"), max_length=18)
    field_order = ["id_number", "region", "housing", "cause", "narrative"]
