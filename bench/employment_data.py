"""Deterministic scale data for the employment benchmark: postings and seekers drawn from the evaluation
job families (titles, duties, requirements, skills, pay), spread over the city's districts."""

import random

from gonghui.employment.data.districts import DISTRICT_NAMES
from gonghui.employment.data.skills import PRIORITY_GROUPS
from gonghui.employment.engine.ranking import JobDoc, SeekerProfile
from gonghui.employment.evaluation.families import FAMILIES
from gonghui.employment.evaluation.make_eval import BENEFITS, COMPANIES, DISTRICT_WEIGHTS, NAMES, SUFFIXES

DISTRICTS = list(DISTRICT_NAMES)
FAMILY_KEYS = list(FAMILIES)
GROUPS = [code for code, _label in PRIORITY_GROUPS]
CAMPAIGNS = ["百位劳模送岗位", "高校毕业生专场", "再就业专场", "春风行动"]
EDUCATION = ["any", "junior_high", "high_school", "secondary_vocational", "associate", "bachelor", "master"]


def postings(count: int, seed: int = 1) -> list[JobDoc]:
    rng = random.Random(seed)
    docs = []
    for doc_id in range(1, count + 1):
        family = rng.choice(FAMILY_KEYS)
        code, titles, duties, reqs, skills, (low, high), education, years = FAMILIES[family]
        shift = rng.randrange(-2000, 2500, 500)
        salary_min = max(3000, low + shift)
        salary_max = salary_min + rng.randrange(500, high - low + 2500, 500)
        body = (
            rng.sample(duties, min(len(duties), rng.randint(2, 3)))
            + rng.sample(reqs, rng.randint(1, 2))
            + rng.sample(BENEFITS, rng.randint(1, 3))
        )
        district = rng.choices(DISTRICTS, weights=DISTRICT_WEIGHTS)[0]
        company = rng.choice(COMPANIES).format(rng.choice(NAMES))
        docs.append(
            JobDoc(
                id=doc_id,
                title=rng.choice(titles) + rng.choice(SUFFIXES),
                description=f"{company}招聘。"
                + "；".join(body)
                + f"。工作地点：{DISTRICT_NAMES[district]}。",
                occupation=code,
                district=district,
                salary_min=salary_min,
                salary_max=salary_max,
                education=education if rng.random() < 0.7 else "any",
                experience_min=max(0, years + rng.choice([-1, 0, 0, 1])),
                skill_level=rng.choice([0, 0, 0, 1, 2, 3]),
                skills=tuple(rng.sample(skills, rng.randint(1, len(skills)))),
                campaigns=(rng.choice(CAMPAIGNS),) if rng.random() < 0.1 else (),
                priority_groups=(rng.choice(GROUPS),) if rng.random() < 0.05 else (),
            )
        )
    return docs


def seekers(count: int, seed: int = 2) -> list[SeekerProfile]:
    rng = random.Random(seed)
    out = []
    for seeker_id in range(1, count + 1):
        family = rng.choice(FAMILY_KEYS)
        code, titles, duties, _reqs, skills, (low, _high), _education, years = FAMILIES[family]
        words = [rng.choice(titles).split("（")[0]] + rng.sample(skills, rng.randint(0, len(skills)))
        if rng.random() < 0.4:
            words.append(rng.choice(duties)[:8])
        out.append(
            SeekerProfile(
                id=seeker_id,
                text=" ".join(words),
                occupations=(code,) if rng.random() < 0.5 else (),
                districts=tuple(rng.sample(DISTRICTS, rng.randint(0, 2))),
                salary_min=max(3000, low + rng.randrange(-1500, 2000, 500)) if rng.random() < 0.8 else None,
                education=rng.choice(EDUCATION) if rng.random() < 0.7 else "",
                experience_years=float(max(0, years + rng.randint(-2, 4))) if rng.random() < 0.7 else None,
                skill_level=rng.choice([0, 0, 1, 2, 3]),
                priority_groups=(rng.choice(GROUPS),) if rng.random() < 0.1 else (),
                campaigns=(rng.choice(CAMPAIGNS),) if rng.random() < 0.05 else (),
            )
        )
    return out
