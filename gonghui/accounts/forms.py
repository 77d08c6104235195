from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from gonghui.accounts import services
from gonghui.accounts.roles import PERMISSIONS


class PasswordLoginForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, request=None, ip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.ip = ip
        self.user = None

    def clean(self):
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        wait = services.lockout_remaining(username, self.ip)
        if wait:
            raise forms.ValidationError(
                _("Too many failed sign-ins from this address. Try again in %(minutes)s minutes.")
                % {"minutes": max(1, wait // 60)}
            )
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            services.record_login_failure(login=username, ip=self.ip)
            raise forms.ValidationError(_("The user name or password is wrong."))
        services.clear_login_failures(login=username, ip=self.ip)
        self.user = user
        return data


class SmsRequestForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class SmsVerifyForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code"), max_length=6, min_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class OtpForm(forms.Form):
    code = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=6, min_length=6)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        choices=[(k, v) for k, v in PERMISSIONS.items() if k.endswith(".view") and k != "audit.view"],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class RoleAssignmentForm(forms.Form):
    login = forms.CharField(label=_("User name or mobile"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=())
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, roles=(), organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["organization"].queryset = organizations

    def clean_login(self):
        user = services.find_user(self.cleaned_data["login"])
        if user is None:
            raise forms.ValidationError(_("No account has this user name or mobile number."))
        self.user = user
        return self.cleaned_data["login"]
