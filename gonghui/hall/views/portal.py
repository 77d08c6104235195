"""The member side of the hall: the catalogue, applying, 我的办件, materials, withdrawing and rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors, run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import signed_in
from gonghui.hall import selectors, services
from gonghui.hall.forms import ApplyForm, AttachmentForm, RatingForm, TransitionForm
from gonghui.hall.models import ServiceRequest, ServiceType
from gonghui.hall.workflows import APPLICANT, apply_view


def catalogue(request):
    services_list = ServiceType.objects.filter(is_active=True)
    return render(request, "hall/portal/catalogue.html", {"services": services_list})


def service_detail(request, code):
    service = get_object_or_404(ServiceType, code=code, is_active=True)
    form = None
    own_form = apply_view(service.code)
    if own_form:
        return render(request, "hall/portal/service_detail.html", {"service": service, "apply_url": reverse(own_form)})
    if request.user.is_authenticated and service.online:
        form = ApplyForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                created_request, _created = services.submit_request(
                    actor=request.user, service_type=service, summary=form.cleaned_data["summary"],
                    idempotency_key=f"web:{request.user.pk}:{form.cleaned_data['idempotency_key']}",
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Application %(ref)s received.") % {"ref": created_request.reference})
                return redirect("hall:my_request", reference=created_request.reference)
    return render(request, "hall/portal/service_detail.html", {"service": service, "form": form})


@signed_in
def my_requests(request):
    qs = selectors.my_requests(request.user)
    page = keyset_page(qs, sort="-submitted_at", cursor=request.GET.get("cursor"), size=20)
    template = "hall/partials/my_request_rows.html" if request.htmx else "hall/portal/my_requests.html"
    return render(request, template, {"page": page})


def _mine_or_404(request, reference) -> ServiceRequest:
    found = selectors.my_requests(request.user).filter(reference=reference).first()
    if found is None:
        raise Http404
    return found


@signed_in
def my_request(request, reference):
    service_request = _mine_or_404(request, reference)
    context = {
        "r": service_request,
        "events": service_request.events.filter(public=True),
        "actions": service_request.workflow.available(service_request.status, APPLICANT),
        "attachment_form": AttachmentForm() if service_request.is_open else None,
        "rating_form": RatingForm() if not service_request.is_open and not hasattr(service_request, "rating") else None,
    }
    template = "hall/partials/my_request_status.html" if request.htmx else "hall/portal/my_request.html"
    return render(request, template, context)


@require_POST
@signed_in
def my_request_action(request, reference):
    service_request = _mine_or_404(request, reference)
    run_action(request, TransitionForm(request.POST), lambda d: services.transition(
        actor=request.user, request=service_request, name=d["action"], note=d["note"]), _("Done."))
    return redirect("hall:my_request", reference=reference)


@require_POST
@signed_in
def my_request_attach(request, reference):
    service_request = _mine_or_404(request, reference)
    run_action(request, AttachmentForm(request.POST, request.FILES), lambda d: services.add_attachment(
        actor=request.user, request=service_request, upload=d["attachment"], label=d["label"]), _("File added."))
    return redirect("hall:my_request", reference=reference)


@require_POST
@signed_in
def my_request_rate(request, reference):
    service_request = _mine_or_404(request, reference)
    run_action(request, RatingForm(request.POST), lambda d: services.rate(
        actor=request.user, request=service_request, score=d["score"], comment=d["comment"],
        real_name=d["real_name"]), _("Thank you for rating the service."))
    return redirect("hall:my_request", reference=reference)
