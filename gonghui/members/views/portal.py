"""The portal's home page for workers and members."""

from django.shortcuts import render

from gonghui.members.choices import CURRENT_STATUSES
from gonghui.members.models import Membership, Person


def home(request):
    context = {}
    user = request.user
    if user.is_authenticated:
        context["person"] = Person.objects.visible_to(user, "members.view").filter(user=user).first()
        context["membership"] = (
            Membership.objects.visible_to(user, "members.view")
            .filter(person__user=user, status__in=CURRENT_STATUSES)
            .select_related("union")
            .first()
        )
    return render(request, "members/portal/home.html", context)
