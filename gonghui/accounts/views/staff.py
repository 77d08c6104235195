"""Workbench page for administrators to give and take staff roles within their scope."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts import services
from gonghui.accounts.forms import RoleAssignmentForm
from gonghui.accounts.models import RoleAssignment
from gonghui.accounts.roles import ROLES, perms_of
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.orgs.models import Organization


@staff_view("accounts.manage")
def role_list(request):
    qs = RoleAssignment.objects.visible_to(request.user, "accounts.manage").select_related("user", "organization")
    query = request.GET.get("q", "").strip()[:64]
    if query:
        qs = qs.filter(user__username__icontains=query) | qs.filter(user__display_name__icontains=query)
    held = set().union(*(perms_of(a.role) for a in request.user.role_assignments.all()))
    grantable = [(code, role.label) for code, role in ROLES.items() if role.perms <= held]
    form = RoleAssignmentForm(
        request.POST or None, roles=grantable,
        organizations=Organization.objects.visible_to(request.user, "accounts.manage"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_role(actor=request.user, user=form.user, role=form.cleaned_data["role"],
                                 organization=form.cleaned_data["organization"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            messages.success(request, _("Role given."))
            return redirect("accounts:role_list")
    page = keyset_page(qs, sort="-created_at", cursor=request.GET.get("cursor"), size=50)
    return render(request, "accounts/role_list.html", {"page": page, "form": form, "query": query})


@require_POST
@staff_view("accounts.manage")
def role_revoke(request, pk):
    assignment = RoleAssignment.objects.get_visible_or_404(request.user, "accounts.manage", pk=pk)
    try:
        services.revoke_role(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:role_list")
