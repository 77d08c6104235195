"""Start and finish the portal sign-in; both answer 404 where no issuer is configured."""

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def oidc_start(request):
    if not settings.OIDC_ENABLED:
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request):
    if not settings.OIDC_ENABLED:
        raise Http404
    return OIDCAuthenticationCallbackView.as_view()(request)
