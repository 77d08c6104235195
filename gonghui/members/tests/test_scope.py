from datetime import date

from gonghui.members.choices import MembershipStatus
from gonghui.members.models import Membership, Person


def test_district_a_cadre_cannot_see_district_b_member(world):
    visible = Person.objects.visible_to(world.users["district_a"], "members.view")
    names = set(visible.values_list("name", flat=True))
    assert "李爱丽" in names and "王博" not in names


def test_a_member_sees_only_their_own_file(world):
    visible = Person.objects.visible_to(world.users["alice"], "members.view")
    assert list(visible.values_list("name", flat=True)) == ["李爱丽"]
    assert list(Membership.objects.visible_to(world.users["alice"], "members.view")) == list(
        Membership.objects.filter(person__user=world.users["alice"])
    )


def test_the_union_holding_a_membership_sees_the_person_registered_elsewhere(world):
    bob = Person.objects.get(name="王博")
    Membership.objects.filter(person=bob).update(status=MembershipStatus.TRANSFERRED)
    Membership.objects.create(person=bob, union=world.orgs["union_a1"], member_number="310099999999",
                              joined_on=date(2026, 1, 1))
    visible = Person.objects.visible_to(world.users["union_a1"], "members.view")
    assert list(visible.filter(name="王博")) == [bob]
    # No duplicates even though Bob has two memberships inside the city's reach.
    assert Person.objects.visible_to(world.users["district_b"], "members.view").filter(name="王博").count() == 1
