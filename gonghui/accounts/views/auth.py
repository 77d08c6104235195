"""Sign-in pages: SMS code for workers, password for staff, TOTP for administrators."""


import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts import services
from gonghui.accounts.forms import OtpForm, PasswordLoginForm, SmsRequestForm, SmsVerifyForm
from gonghui.accounts.middleware import OTP_SESSION_KEY
from gonghui.core.context import client_ip
from gonghui.core.forms import apply_errors
from gonghui.core.permissions import signed_in


def _next(request, default="portal:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


def _after_login(request, user):
    login(request, user, backend="gonghui.accounts.backends.GonghuiBackend")
    if user.requires_2fa:
        return redirect(f"{reverse('accounts:otp')}?next={_next(request, 'work:dashboard')}")
    return redirect(_next(request, "work:dashboard" if user.is_staff_member else "portal:home"))


def login_view(request):
    """Staff sign in with a password; workers are pointed to the SMS form on the same page."""
    form = PasswordLoginForm(request.POST or None, request=request, ip=client_ip(request))
    if request.method == "POST" and form.is_valid():
        return _after_login(request, form.user)
    target = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": form, "sms_form": SmsRequestForm(), "next": target,
                                                   "oidc_enabled": settings.OIDC_ENABLED})


def sms_request(request):
    """Step 1: send a code. Step 2 (the same page): enter it."""
    if request.method == "POST" and "code" in request.POST:
        form = SmsVerifyForm(request.POST)
        if form.is_valid():
            try:
                user = services.verify_sms_code(
                    mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"], ip=client_ip(request)
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return _after_login(request, user)
        return render(request, "accounts/sms_verify.html", {"form": form, "next": _next(request)})
    form = SmsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_sms_code(mobile=form.cleaned_data["mobile"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            mobile = services.normalise_mobile(form.cleaned_data["mobile"])
            messages.success(request, _("A code was sent to %(mobile)s.") % {"mobile": mobile[:3] + "****" + mobile[-4:]})
            verify = SmsVerifyForm(initial={"mobile": mobile})
            return render(request, "accounts/sms_verify.html", {"form": verify, "next": _next(request)})
    target = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", {"form": PasswordLoginForm(), "sms_form": form, "next": target,
                                                   "oidc_enabled": settings.OIDC_ENABLED})


@signed_in
def otp_view(request):
    user = request.user
    if not user.requires_2fa or request.session.get(OTP_SESSION_KEY):
        return redirect(_next(request, "work:dashboard"))
    enrolling = user.totp_confirmed_at is None
    context = {"enrolling": enrolling, "next": _next(request, "work:dashboard")}
    if enrolling:
        secret = services.start_totp_enrolment(user=user)
        uri = services.totp_for(user).provisioning_uri(name=user.username, issuer_name="Gonghui")
        context["qr_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=4, border=2)
        context["secret"] = secret
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(user=user, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            return redirect(context["next"])
        form.add_error("code", _("The code is not right. Check your phone's clock and try the newest code."))
    context["form"] = form
    return render(request, "accounts/otp.html", context)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")
