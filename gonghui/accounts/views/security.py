"""Security administrator pages: API tokens and sign-in lock-outs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts import services
from gonghui.accounts.forms import ApiTokenForm
from gonghui.accounts.models import ApiToken, LoginFailure
from gonghui.core.forms import apply_errors
from gonghui.core.permissions import staff_view
from gonghui.orgs.models import Organization


@staff_view("security.manage")
def token_list(request):
    tokens = ApiToken.objects.visible_to(request.user, "security.manage").select_related("organization", "created_by")
    orgs = Organization.objects.visible_to(request.user, "security.manage")
    form = ApiTokenForm(request.POST or None, organizations=orgs)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.create_api_token(
                actor=request.user, name=form.cleaned_data["name"], organization=form.cleaned_data["organization"],
                permissions=form.cleaned_data["permissions"], days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm(organizations=orgs)
    return render(request, "accounts/token_list.html", {
        "tokens": tokens.order_by("-created_at")[:200], "form": form, "raw": raw, "now": timezone.now(),
    })


@require_POST
@staff_view("security.manage")
def token_revoke(request, pk):
    token = ApiToken.objects.get_visible_or_404(request.user, "security.manage", pk=pk)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:token_list")


@staff_view("security.manage")
def lockout_list(request):
    entries = LoginFailure.objects.filter(locked_until__gt=timezone.now()).order_by("-last_failure_at")[:200]
    return render(request, "accounts/lockout_list.html", {"entries": entries})


@require_POST
@staff_view("security.manage")
def lockout_clear(request, pk):
    services.unlock(actor=request.user, entry_id=pk)
    messages.success(request, _("Lock-out lifted."))
    return redirect("accounts:lockout_list")
