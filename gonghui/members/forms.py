"""Forms of the member pages: the roster upload and the member search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.members import roster
from gonghui.members.choices import EmploymentForm, MembershipStatus


class RosterUploadForm(forms.Form):
    union = forms.ModelChoiceField(queryset=None, label=_("Import into union"), empty_label=None)
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        help_text=_(
            "At most 20 MB and 100,000 rows. CSV may be UTF-8 or GBK. Formulas and merged cells are not "
            "accepted: paste values only."
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused by size before anything is parsed.
        roster.check_size(upload.size)
        return upload


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, mobile, ID or member number"), required=False, max_length=64)
    union = forms.ModelChoiceField(queryset=None, label=_("Union"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    form = forms.ChoiceField(label=_("Employment form"), required=False)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["status"].choices = [
            ("current", _("Current members")),
            ("all", _("All")),
            *MembershipStatus.choices,
        ]
        self.fields["form"].choices = [("", _("All")), *EmploymentForm.choices]
