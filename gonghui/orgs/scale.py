"""Scale data: N realistic enterprises (Chinese names, valid credit codes) with grassroots unions,
deterministic from a seed, written with bulk inserts."""

import random

from django.db import transaction
from faker import Faker
from stdnum.cn import uscc as uscc_std

from gonghui.core import search
from gonghui.orgs.choices import OrgKind, Ownership, SizeClass
from gonghui.orgs.models import Enterprise, Industry, Organization, Region, encode_step

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "实业有限公司", "服务有限公司"]


def _uscc(rng: random.Random, region_code: str, used: set[str]) -> str:
    while True:
        body = "91" + region_code + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        code = body + uscc_std.calc_check_digit(body)
        if code not in used:
            used.add(code)
            return code


def _size(rng: random.Random) -> tuple[str, int]:
    roll = rng.random()
    if roll < 0.55:
        return SizeClass.MICRO, rng.randint(1, 9)
    if roll < 0.85:
        return SizeClass.SMALL, rng.randint(10, 99)
    if roll < 0.97:
        return SizeClass.MEDIUM, rng.randint(100, 999)
    return SizeClass.LARGE, rng.randint(1000, 20000)


def _ensure_tree(regions) -> dict[str, Organization]:
    """One district union and one street federation per district; the city federation on top."""
    from gonghui.orgs import services

    root = Organization.objects.filter(parent__isnull=True).first()
    if root is None:
        root = services.create_organization(actor=None, parent=None, kind=OrgKind.CITY_FEDERATION, name="市总工会",
                                            region=Region.objects.filter(parent__isnull=True).first())
    streets = {}
    for region in regions:
        district = Organization.objects.filter(kind=OrgKind.DISTRICT_UNION, region=region).order_by("path").first()
        if district is None:
            district = services.create_organization(actor=None, parent=root, kind=OrgKind.DISTRICT_UNION,
                                                    name=f"{region.name}总工会", region=region)
        street = Organization.objects.filter(kind=OrgKind.STREET_FEDERATION, region=region,
                                             name=f"{region.name}规模测试街道总工会").first()
        if street is None:
            street = services.create_organization(actor=None, parent=district, kind=OrgKind.STREET_FEDERATION,
                                                  name=f"{region.name}规模测试街道总工会", region=region)
        streets[region.code] = street
    return streets


def generate(n: int, *, seed: int = 42, batch: int = 5000, progress=None) -> int:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    regions = list(Region.objects.filter(parent__isnull=False))
    industries = list(Industry.objects.filter(section__isnull=False))
    streets = _ensure_tree(regions)
    used = set(Enterprise.objects.values_list("uscc", flat=True))
    made = 0
    while made < n:
        size = min(batch, n - made)
        with transaction.atomic():
            locked = {c: Organization.objects.select_for_update().get(pk=s.pk) for c, s in streets.items()}
            unions, rows = [], []
            for _ in range(size):
                region = rng.choice(regions)
                size_class, heads = _size(rng)
                name = fake.company_prefix() + rng.choice(["", fake.company_prefix()]) + rng.choice(SUFFIXES)
                name = f"上海{name}" if not name.startswith("上海") else name
                union = None
                if rng.random() < (0.8 if heads >= 25 else 0.15):
                    street = locked[region.code]
                    street.children_count += 1
                    union = Organization(
                        name=f"{name}工会", kind=OrgKind.GRASSROOTS_UNION, parent=street, region=region,
                        path=street.path + encode_step(street.children_count), depth=street.depth + 1,
                    )
                    unions.append(union)
                rows.append((name, region, size_class, heads, union, locked[region.code]))
            Organization.objects.bulk_create(unions, batch_size=2000)
            for street in locked.values():
                street.save(update_fields=["children_count"])
            enterprises = [
                Enterprise(
                    name=name, uscc=_uscc(rng, region.code, used), industry=rng.choice(industries),
                    size_class=size_class, ownership=rng.choice(Ownership.values), headcount=heads, region=region,
                    address=fake.street_address(), owner_organization=street, union=union,
                )
                for name, region, size_class, heads, union, street in rows
            ]
            Enterprise.objects.bulk_create(enterprises, batch_size=2000)
            search.bulk_index("enterprise", [(e.pk, (e.name, e.uscc)) for e in enterprises])
            search.bulk_index("organization", [(u.pk, (u.name,)) for u in unions])
        made += size
        if progress:
            progress(f"{made}/{n} enterprises")
    return made
