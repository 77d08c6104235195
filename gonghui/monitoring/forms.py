from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.monitoring.choices import SourceKind, TaskKind, WarningOutcome
from gonghui.monitoring.models import CommentTeam
from gonghui.orgs.models import Organization

TERMS_HELP = _("One word per line, or separated by commas or 、.")


def _orgs(user, perm):
    return Organization.objects.visible_to(user, perm).order_by("path")


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    organization = forms.ModelChoiceField(label=_("For the union"), queryset=Organization.objects.none())
    region_terms = forms.CharField(label=_("Region words"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=TERMS_HELP)
    subject_terms = forms.CharField(label=_("Subject words (enterprise names, short names)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}), help_text=TERMS_HELP)
    event_terms = forms.CharField(label=_("Event words"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=TERMS_HELP)
    exclude_terms = forms.CharField(label=_("Exclude words (NOT)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}), help_text=TERMS_HELP)
    any_of = forms.BooleanField(label=_("Any one group is enough (OR); otherwise every filled group (AND)"),
                                required=False)
    window = forms.IntegerField(label=_("Proximity window (characters)"), min_value=0, max_value=500, initial=0,
                                help_text=_("0: anywhere in the text. Otherwise the words must occur this close."))
    confirm_warnings = forms.BooleanField(label=_("I have read the warnings; save anyway"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user, "monitoring.manage")


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens."))
    kind = forms.ChoiceField(label=_("Kind"), choices=[(SourceKind.FEED, SourceKind.FEED.label),
                                                       (SourceKind.PUSH, SourceKind.PUSH.label),
                                                       (SourceKind.UPLOAD, SourceKind.UPLOAD.label)])
    url = forms.URLField(label=_("Feed address"), required=False, max_length=500)
    interval_minutes = forms.IntegerField(label=_("Pull every (minutes)"), min_value=5, max_value=1440, initial=30)
    organization = forms.ModelChoiceField(label=_("Owner union"), queryset=Organization.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user, "monitoring.manage")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"),
                           help_text=_("First row: column names; “text” (正文) is required, “title”, “url”, "
                                       "“published_at”, “external_id” and “region” are optional. CSV in UTF-8 or GBK."))


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=CommentTeam.objects.none())
    due_at = forms.DateTimeField(label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    instructions = forms.CharField(label=_("Instructions"), required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = CommentTeam.objects.visible_to(user, "monitoring.manage")


class CompleteTaskForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    url = forms.URLField(label=_("Link to the response"), required=False, max_length=500)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=WarningOutcome.choices)


class BriefForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("daily", _("Daily brief")), ("weekly", _("Weekly brief"))])
    organization = forms.ModelChoiceField(label=_("For the union"), queryset=Organization.objects.none())
    day = forms.DateField(label=_("Period ends before"), widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("Today's date gives yesterday's daily brief or last seven days' weekly brief."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user, "monitoring.view")
