from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.orgs.choices import CoverageKind, OrgKind
from gonghui.orgs.models import Enterprise, Organization, Region


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "region", "uscc", "address", "contact_name", "contact_phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(parent__isnull=False)
        if self.instance.pk:
            self.fields["kind"].disabled = True


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "industry", "size_class", "ownership", "headcount", "region", "address", "union", "is_active"]

    def __init__(self, *args, unions=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(parent__isnull=False)
        self.fields["industry"].queryset = self.fields["industry"].queryset.filter(section__isnull=False)
        self.fields["union"].queryset = unions
        self.fields["union"].required = False
        if owners is not None and not self.instance.pk:
            self.fields["owner_organization"] = forms.ModelChoiceField(
                label=_("Owner organisation"), queryset=owners,
                help_text=_("The union that registers the enterprise; it cannot be changed later."),
            )

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()

    def validate_unique(self):
        # Uniqueness of the credit code is checked by the service with a clear message.
        pass


class CoverageForm(forms.Form):
    covering = forms.ModelChoiceField(label=_("Covering organisation"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=CoverageKind.choices)
    target_organization = forms.ModelChoiceField(label=_("Covered union"), queryset=None, required=False)
    target_enterprise_uscc = forms.CharField(label=_("…or covered enterprise (credit code)"), required=False, max_length=18)

    def __init__(self, *args, covering=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covering"].queryset = covering.exclude(kind__in=[OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION])
        self.fields["target_organization"].queryset = targets.filter(
            kind__in=[OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION]
        )

    def clean(self):
        data = super().clean()
        org, code = data.get("target_organization"), data.get("target_enterprise_uscc")
        if bool(org) == bool(code):
            raise forms.ValidationError(_("Choose either a union or an enterprise to cover, not both."))
        if code:
            enterprise = Enterprise.objects.filter(uscc=code.strip().upper()).first()
            if enterprise is None:
                self.add_error("target_enterprise_uscc", _("No registered enterprise has this credit code."))
            data["target_enterprise"] = enterprise
        return data
