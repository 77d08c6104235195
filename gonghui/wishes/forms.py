from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.orgs.models import Region
from gonghui.wishes.choices import DonorKind, WishCategory


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("I donate as"), choices=DonorKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name shown on the certificate"), max_length=80)
    uscc = forms.CharField(label=_("Unified social credit code (enterprises)"), max_length=18, required=False)
    categories = forms.MultipleChoiceField(label=_("Categories I like to fulfil"), choices=WishCategory.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple)
    regions = forms.ModelMultipleChoiceField(label=_("Districts I like to help"), required=False,
                                             queryset=Region.objects.filter(parent__isnull=False),
                                             widget=forms.CheckboxSelectMultiple)
    budget = forms.DecimalField(label=_("Budget for recommendations (¥)"), min_value=Decimal("0"),
                                max_value=Decimal("10000000"), decimal_places=2, initial=0)


class WishForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=WishCategory.choices)
    description = forms.CharField(label=_("Your wish"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label=_("About how much (¥)"), min_value=Decimal("1"), decimal_places=2,
                                max_digits=10)


class PublishForm(forms.Form):
    public_title = forms.CharField(label=_("Title on the wall"), max_length=60)
    public_text = forms.CharField(label=_("Text on the wall (no names, schools or addresses)"), max_length=500,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DeliveryForm(forms.Form):
    photo = forms.FileField(label=_("Photo of the delivery (JPEG, PNG or PDF)"))
