from django.shortcuts import redirect
from django.urls import reverse

OTP_SESSION_KEY = "gonghui_otp_verified"
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class TwoFactorMiddleware:
    """Administrators must pass TOTP after the password before any page (等保 2.0: two factors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(OTP_SESSION_KEY)
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and getattr(user, "requires_2fa", False)
        ):
            return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return self.get_response(request)
