import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.hall.choices import Channel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ApplyForm(forms.Form):
    summary = forms.CharField(label=_("What do you need?"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Materials (JPEG, PNG or PDF, at most 10 MB each)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class WalkInForm(ApplyForm):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=[(Channel.WALK_IN, Channel.WALK_IN.label),
                                                             (Channel.HOTLINE, Channel.HOTLINE.label)])
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=60)
    applicant_mobile = forms.RegexField(label=_("Applicant's mobile"), regex=r"^1[3-9]\d{9}$", required=False,
                                        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")})
    organization = forms.ModelChoiceField(label=_("Receiving union"), queryset=None)

    field_order = ["service_type", "channel", "applicant_name", "applicant_mobile", "organization", "summary",
                   "attachments"]

    def __init__(self, *args, service_types=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = service_types
        self.fields["organization"].queryset = organizations


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note to the applicant"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("Add a file (JPEG, PNG or PDF)"),
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
    label = forms.CharField(label=_("What it is"), max_length=80, required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("How was the service?"), coerce=int,
                                   choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    real_name = forms.BooleanField(label=_("Rate under my name (real-name bad ratings are always followed up)"),
                                   required=False, initial=True)


class RectificationForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)
    requests = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, assignees=None, requests=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["requests"].queryset = requests
