"""Builds the labelled evaluation set: ``corpus.jsonl`` (postings) and the query files with judgments.

Run: ``python -m gonghui.employment.evaluation.make_eval heldout|dev``. Deterministic (fixed seed).

Judgments (graded 0/1/2) follow a rule written down before any tuning, applied to each posting's hidden
job family (the ranker sees only the posting's title, text and structured fields, never the family):
  2 = a family the seeker asked for, and the posting meets the seeker's stated constraints
      (district if given; pay reaching 90 % of the wanted minimum if given; education requirement met);
  1 = a family the seeker asked for that misses a constraint, or a closely related family that meets them;
  0 = anything else.
The held-out queries were written and committed first; dev queries were written afterwards, in other
words, and only they are used for tuning.
"""

import json
import random
import sys
from pathlib import Path

from gonghui.employment.data.districts import DISTRICT_NAMES
from gonghui.employment.data.education import EDUCATION_RANK
from gonghui.employment.evaluation.families import FAMILIES, RELATED

HERE = Path(__file__).resolve().parent
SEED = 20261125
PER_FAMILY = 9

COMPANIES = [
    "上海{}实业有限公司",
    "上海{}物流有限公司",
    "上海{}餐饮管理有限公司",
    "上海{}科技有限公司",
    "上海{}物业管理有限公司",
    "上海{}机械制造有限公司",
    "上海{}商贸有限公司",
    "上海{}服务有限公司",
]
NAMES = [
    "浦江",
    "东方",
    "申通",
    "华亿",
    "锦程",
    "恒信",
    "金桥",
    "晨光",
    "瑞丰",
    "汇城",
    "宏达",
    "新民",
    "海纳",
    "永安",
    "启航",
    "嘉和",
    "百联",
    "鼎盛",
    "同舟",
    "润泽",
]
BENEFITS = [
    "缴纳五险一金",
    "包吃包住",
    "提供员工宿舍",
    "月休四天",
    "做五休二",
    "节日福利",
    "年终奖",
    "带薪年假",
    "免费工作餐",
    "交通补贴",
    "岗前带薪培训",
    "加班另计",
    "有晋升通道",
    "工会会员享受普惠服务",
]
SUFFIXES = ["", "", "", "（五险一金）", "（包吃住）", "（急招）", "（双休）", "（长白班）"]
DISTRICTS = list(DISTRICT_NAMES)
# Jobs cluster where the jobs are: Pudong and the central districts weigh more than Chongming.
DISTRICT_WEIGHTS = [5, 5, 3, 4, 2, 2, 2, 5, 3, 4, 9, 2, 3, 2, 3, 2]


def build_corpus() -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    next_id = 1
    for family, (code, titles, duties, reqs, skills, (low, high), education, years) in FAMILIES.items():
        for _ in range(PER_FAMILY):
            district = rng.choices(DISTRICTS, weights=DISTRICT_WEIGHTS)[0]
            shift = rng.choice([-1500, -1000, -500, 0, 0, 500, 1000, 2000])
            salary_min = max(3000, (low + shift) // 500 * 500)
            salary_max = max(salary_min + 500, (high + shift + rng.choice([-1000, 0, 1000])) // 500 * 500)
            edu = education if rng.random() < 0.7 else rng.choice(["any", education])
            exp = years if rng.random() < 0.7 else max(0, years + rng.choice([-1, 1]))
            company = rng.choice(COMPANIES).format(rng.choice(NAMES))
            body = (
                rng.sample(duties, min(len(duties), rng.randint(2, 3)))
                + rng.sample(reqs, rng.randint(1, 2))
                + rng.sample(BENEFITS, rng.randint(1, 3))
            )
            text = "；".join(body) + f"。工作地点：{DISTRICT_NAMES[district]}。"
            rows.append(
                {
                    "id": next_id,
                    "family": family,
                    "title": rng.choice(titles) + rng.choice(SUFFIXES),
                    "company": company,
                    "description": text,
                    "occupation": code,
                    "district": district,
                    "salary_min": salary_min,
                    "salary_max": salary_max,
                    "education": edu,
                    "experience_min": exp,
                    "skills": rng.sample(skills, rng.randint(1, len(skills))),
                }
            )
            next_id += 1
    return rows


def judge(query: dict, corpus: list[dict]) -> dict[str, int]:
    targets = set(query["families"])
    related = {r for t in targets for r in RELATED.get(t, ())} - targets
    grades = {}
    for post in corpus:
        fits = True
        if query.get("districts") and post["district"] not in query["districts"]:
            fits = False
        if query.get("salary_min") and post["salary_max"] < 0.9 * query["salary_min"]:
            fits = False
        if query.get("education") and EDUCATION_RANK[query["education"]] < EDUCATION_RANK[post["education"]]:
            fits = False
        if post["family"] in targets:
            grade = 2 if fits else 1
        elif post["family"] in related:
            grade = 1 if fits else 0
        else:
            grade = 0
        if grade:
            grades[str(post["id"])] = grade
    return grades


# Written before any tuning; never used to choose weights.
HELDOUT = [
    {
        "text": "我有叉车证，开过三年叉车，想在浦东找仓库的活",
        "families": ["forklift"],
        "districts": ["310115"],
    },
    {"text": "会开电动叉车 找装卸搬运的工作 工资七八千", "families": ["forklift"], "salary_min": 7000},
    {"text": "想做仓管，会用Excel做台账，盘点经验丰富", "families": ["warehouse"]},
    {"text": "送快递 派件 揽件都干过", "families": ["courier"], "districts": ["310112", "310104"]},
    {"text": "想跑外卖，有电动车，时间自由", "families": ["delivery_rider"]},
    {"text": "B2驾照，开过厢式货车，跑城配", "families": ["truck_driver"], "salary_min": 9000},
    {"text": "老司机C1驾照，想开班车或者商务车", "families": ["ride_driver"]},
    {"text": "川菜厨师 炒锅 十年经验 有厨师证", "families": ["cook"], "salary_min": 9000},
    {"text": "后厨帮忙切菜洗碗都可以，包吃住最好", "families": ["kitchen_helper"]},
    {"text": "做过西点，会裱花做蛋糕", "families": ["baker"], "districts": ["310106", "310105"]},
    {"text": "退伍军人，想找保安工作，能上夜班", "families": ["security"], "priority_groups": ["veteran"]},
    {"text": "有消防设施操作员中级证，想去消控室", "families": ["fire_operator"]},
    {"text": "阿姨找打扫卫生的工作，写字楼商场都行", "families": ["cleaner"], "districts": ["310101"]},
    {"text": "住家保姆，会做饭带老人", "families": ["housekeeper"]},
    {"text": "有育婴员证，做过月嫂，带新生儿", "families": ["nanny"], "salary_min": 10000},
    {"text": "在养老院做过护工，照顾失能老人", "families": ["elder_care"]},
    {"text": "4S店修车三年，新能源汽车也懂", "families": ["auto_repair"], "districts": ["310114"]},
    {"text": "持低压电工证，物业维修水电", "families": ["electrician"]},
    {"text": "电焊氩弧焊都会，能看图纸", "families": ["welder"], "salary_min": 9000},
    {"text": "数控车床操机，FANUC系统", "families": ["cnc"]},
    {"text": "工厂流水线普工，没经验，能倒班", "families": ["assembly"], "districts": ["310120", "310116"]},
    {"text": "品质检验，会用卡尺千分尺", "families": ["qc"]},
    {
        "text": "Java后端开发，熟悉MySQL Redis，本科",
        "families": ["software"],
        "education": "bachelor",
        "salary_min": 18000,
    },
    {"text": "Vue前端，做过小程序", "families": ["frontend"]},
    {"text": "会SQL和Python，想做数据分析", "families": ["data_analyst"], "education": "bachelor"},
    {"text": "出纳会计，会用金蝶，有初级职称", "families": ["accountant"], "education": "associate"},
    {"text": "前台接待 行政文员 熟练Office", "families": ["admin"], "districts": ["310104"]},
    {"text": "普通话标准，打字快，想做客服", "families": ["customer_service"]},
    {"text": "抖音直播带货，会剪短视频", "families": ["live_streamer"]},
    {
        "text": "幼儿园保育员，有保育员证",
        "families": ["kindergarten_care"],
        "education": "secondary_vocational",
    },
    {"text": "护士执业证，想找社区医院", "families": ["nurse"], "education": "associate"},
    {"text": "蔬菜大棚种植，想在崇明工作", "families": ["agriculture"], "districts": ["310151"]},
]


def write(name: str, queries: list[dict], corpus: list[dict], prefix: str) -> None:
    with (HERE / name).open("w", encoding="utf-8") as out:
        for n, query in enumerate(queries, 1):
            row = {"qid": f"{prefix}{n:02d}", **query, "judgments": judge(query, corpus)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(which: str) -> None:
    corpus = build_corpus()
    if which == "heldout":
        with (HERE / "corpus.jsonl").open("w", encoding="utf-8") as out:
            for row in corpus:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        write("heldout_queries.jsonl", HELDOUT, corpus, "h")
    elif which == "dev":
        from gonghui.employment.evaluation.dev_queries import DEV

        write("dev_queries.jsonl", DEV, corpus, "d")
    else:
        raise SystemExit("usage: make_eval heldout|dev")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "heldout")
