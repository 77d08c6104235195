"""The shared personas (DESIGN.md §7): a city federation with districts A and B, a grassroots union in
each, cadres of every level, two members and a gig worker — the same world as the demo data."""

from dataclasses import dataclass

import pyotp
from django.test import Client

from gonghui.accounts.middleware import OTP_SESSION_KEY
from gonghui.accounts.models import User
from gonghui.demo import data as demo
from gonghui.orgs.models import Enterprise, Industry, Organization, Region
from gonghui.orgs.reference import load


@dataclass
class World:
    orgs: dict
    users: dict
    enterprises: dict

    def client(self, username: str | None) -> Client:
        """A client signed in as the persona, past the two-factor check where the role needs it."""
        client = Client()
        if username:
            user = self.users[username]
            client.force_login(user, backend="gonghui.accounts.backends.GonghuiBackend")
            session = client.session
            session[OTP_SESSION_KEY] = True
            session.save()
        return client

    def totp_now(self) -> str:
        return pyotp.TOTP(demo.DEMO_TOTP_SECRET).now()


def build_world() -> World:
    if not Region.objects.exists():  # a transactional test before this one flushed the reference data
        load(Region, Industry)
    orgs = demo.build()
    users = {u.username: u for u in User.objects.all()}
    enterprises = {
        "a1": Enterprise.objects.get(union=orgs["union_a1"]),
        "a2": Enterprise.objects.get(union=orgs["union_a2"]),
        "b1": Enterprise.objects.get(union=orgs["union_b1"]),
        "a_no_union": Enterprise.objects.get(name="上海张江芯片设计有限公司"),
        "platform": Enterprise.objects.get(name="上海同城外卖信息技术有限公司"),
    }
    for key, org in orgs.items():
        orgs[key] = Organization.objects.get(pk=org.pk)
    return World(orgs=orgs, users=users, enterprises=enterprises)
