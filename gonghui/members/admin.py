from django.contrib import admin

from gonghui.core.admin_site import ReadOnlyAdmin
from gonghui.members.models import Membership, Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "employment_form", "owner_organization"]
    exclude = ["id_number", "id_number_bidx", "mobile"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "union", "status", "member_number", "joined_on"]
