"""Classification of a post: risk categories, sentiment in [-1, 1] and a severity level.

One Aho-Corasick pass finds every lexicon entry (category terms, cues, sentiment words); clause-level rules
then decide which category terms count: a denial scoped to the clause (公司从未拖欠工资), a hypothetical or
preventive frame in the sentence (如果拖欠工资怎么办, 防止拖欠工资), a later rebuttal in the sentence (…经核实
不属实), a covering phrase with another sense (加班车), or a kind of text (a film plot, an advertisement). The
matched terms that counted are returned, so every decision can be explained.
"""

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

import ahocorasick
import numpy as np

from gonghui.core.cn_numerals import CN_DIGITS, CN_UNITS

from . import lexicon as lx
from . import model as _model
from . import sentiment_lexicon as sx

CATEGORIES = (
    "wage_arrears",
    "overtime_hours",
    "contract",
    "dismissal_layoff",
    "social_insurance",
    "injury_safety",
    "collective_action",
    "enterprise_closure",
    "discrimination",
)
SEVERITIES = ("none", "blue", "yellow", "orange", "red")
_LEVEL = {name: i for i, name in enumerate(SEVERITIES)}

STRONG_DENIAL_REACH = 12  # characters between a strong denial cue and the term it denies
WEAK_DENIAL_GAP = 1  # 没有拖欠 / 没被辞退
SENTIMENT_REACH = 3
POSITIVE_THRESHOLD = 0.3


@dataclass(frozen=True)
class Classification:
    categories: tuple[str, ...]
    sentiment: float
    severity: str
    terms: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "categories": list(self.categories),
            "sentiment": self.sentiment,
            "severity": self.severity,
            "terms": list(self.terms),
        }


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class SeverityRules:
    """Configurable severity rules (stored as JSON by the monitoring app).

    A text with a category is at least ``base``; people counts (数十名, 200多名, 上百) and words raise it;
    collective action is at least ``collective_level`` and red from ``collective_red_people`` people.
    ``life_threats_need_category`` False lets red words about work (员工跳楼) raise a text with no category.
    """

    base: str = "blue"
    yellow_people: int = 10
    orange_people: int = 30
    red_people: int = 100
    collective_level: str = "orange"
    collective_red_people: int = 50
    all_staff_people: int = 50
    red_words: tuple[str, ...] = _t(
        "跳楼 轻生 自杀 自残 割腕 喝农药 服毒 以死相逼 寻死 不想活了 活不下去 爬塔吊 爬上塔吊 爬上楼顶 站在楼顶 "
        "楼顶上 要跳楼 要跳下去 自焚 点燃 持刀 砍人 砍伤 血案 命案 打死 流血冲突 群殴 纵火 同归于尽 "
        "多人死亡 多人遇难 群死群伤 跳河 跳江 跳桥 喝药 上吊 寻短见 想不开 以死 跳下去 跳下来"
    )
    orange_words: tuple[str, ...] = _t(
        "打人 殴打 打伤 推搡 肢体冲突 冲突 打砸 砸车 砸东西 围殴 威胁 恐吓 跑路 老板跑了 失联 卷款 卷钱 人去楼空 "
        "罢工 堵路 堵马路 拦路 上访 越级上访 拉横幅 打横幅 围堵 冲击 身亡 死亡 遇难 工亡 坠亡 丧生 爆炸 坍塌 "
        "群体性 报警 警察 派出所 特警 民警 公安"
    )
    yellow_words: tuple[str, ...] = _t(
        "媒体曝光 讨薪无果 多次讨要 投诉无门 求助无门 走投无路 维权无果 维权无门 求助 堵门 聚集 停产 倒闭 破产 重伤 "
        "截肢 致残 职业病 尘肺 骨折 拖欠半年 拖欠一年 欠了半年 欠了一年 好几个月 三个月 四个月 五个月 "
        "半年 一年多 集体 联名"
    )
    word_exclusions: tuple[str, ...] = _t(
        "跳楼价 跳楼甩卖 跳楼大甩卖 跳楼机 笑死 打死也不 打死我也 冲突解决 冲击波 冲击力 冲击钻 砸车窗破案 "
        "记者节 记者会 新闻记者证 三个月试用期 试用期三个月 三个月内 半年度 半年报 一年多来"
    )
    life_threats_need_category: bool = True

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict | None) -> "SeverityRules":
        """Rules from stored JSON; missing keys take the defaults, bad keys or values raise ValueError."""
        if not data:
            return cls()
        if not isinstance(data, dict):
            raise ValueError("Severity rules must be an object.")
        known = {f.name: f for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(f"Unknown severity rule fields: {', '.join(sorted(map(str, unknown)))}.")
        values = {}
        for key, value in data.items():
            default = getattr(cls, key)
            if isinstance(default, tuple):
                if not isinstance(value, list | tuple) or not all(
                    isinstance(v, str) and v.strip() for v in value
                ):
                    raise ValueError(f"{key}: must be a list of words.")
                values[key] = tuple(v.strip() for v in value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{key}: must be true or false.")
                values[key] = value
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(f"{key}: must be a whole number of at least 1.")
                values[key] = value
            else:
                if value not in _LEVEL or value == "none":
                    raise ValueError(f"{key}: must be one of blue, yellow, orange, red.")
                values[key] = value
        rules = cls(**values)
        if not rules.yellow_people <= rules.orange_people <= rules.red_people:
            raise ValueError("People thresholds must rise from yellow to orange to red.")
        return rules


def default_rules() -> SeverityRules:
    return SeverityRules()


# --- the automaton ---------------------------------------------------------------------------------

# role codes
_TERM, _OBJ, _PRED, _EXCL, _CTX, _DS, _DW, _DA, _DT, _RESP, _HYPO, _HBRK, _VETO, _BLOCK, _HAFT, _HYPC = range(
    16
)
_SENT, _NEG, _DEG, _CONTRAST, _FORMAL = range(20, 25)
_THREAT, _QASK, _QWORD, _RUMOUR = range(30, 34)
# categories an ultimatum does not make hypothetical: the threat is the issue (不签就辞退, 否则视为自动离职)
_THREAT_RAISES = frozenset({"dismissal_layoff"})


def _build() -> tuple[ahocorasick.Automaton, dict]:
    roles: dict[str, list] = {}

    def add(word: str, role: tuple) -> None:
        roles.setdefault(word.lower(), []).append(role)

    context_terms: dict[str, frozenset] = {}
    clause_blockers: dict[str, dict[str, frozenset]] = {}
    text_blockers: dict[str, frozenset] = {}
    windows: dict[str, int] = {}
    for category, spec in lx.CATEGORY_LEXICON.items():
        for w in spec["terms"]:
            add(w, (_TERM, category))
        for w in spec.get("objects", ()):
            add(w, (_OBJ, category))
        for w in spec.get("predicates", ()):
            add(w, (_PRED, category))
        for w in spec.get("exclude", ()):
            add(w, (_EXCL, category))
        context_terms[category] = frozenset(w.lower() for w in spec.get("context_terms", ()))
        clause_blockers[category] = {
            k.lower(): frozenset(v) for k, v in spec.get("clause_blockers", {}).items()
        }
        for blockers in spec.get("clause_blockers", {}).values():
            for w in blockers:
                add(w, (_BLOCK, "clause"))
        text_blockers[category] = frozenset(spec.get("text_blockers", ()))
        windows[category] = spec.get("window", 0)
    for w in lx.WORK_CONTEXT:
        add(w, (_CTX,))
    for role, words in (
        (_DS, lx.DENIAL_STRONG),
        (_DW, lx.DENIAL_WEAK),
        (_DA, lx.DENIAL_AFTER),
        (_DT, lx.DENIAL_TEXT),
        (_RESP, lx.RESPONSE),
        (_HYPO, lx.HYPOTHETICAL),
        (_HBRK, lx.HYPOTHETICAL_BREAK),
        (_HAFT, lx.HYPOTHETICAL_AFTER),
        (_HYPC, lx.HYPOTHETICAL_CLAUSE),
        (_VETO, lx.CUE_VETO),
        (_THREAT, lx.THREAT),
        (_QASK, lx.QUESTION_ASK),
        (_QWORD, lx.QUESTION_WORD),
        (_RUMOUR, lx.RUMOUR),
    ):
        for w in words:
            add(w, (role,))
    for kind, words in lx.TEXT_BLOCKERS.items():
        for w in words:
            add(w, (_BLOCK, kind))
    for w, weight in sx.WORDS.items():
        add(w, (_SENT, weight))
    for w in sx.NEGATORS:
        add(w, (_NEG,))
    for w, mult in sx.DEGREE.items():
        add(w, (_DEG, mult))
    for w in lx.CONTRAST:
        add(w, (_CONTRAST,))
    for w in sx.FORMAL:
        add(w, (_FORMAL,))
    automaton = ahocorasick.Automaton()
    for word, word_roles in roles.items():
        automaton.add_word(word, (len(word), tuple(word_roles)))
    automaton.make_automaton()
    meta = {
        "context_terms": context_terms,
        "clause_blockers": clause_blockers,
        "text_blockers": text_blockers,
        "windows": windows,
    }
    return automaton, meta


_AUTOMATON, _META = _build()

_CLAUSE_END = re.compile(r"[，,。！？!?；;：:\n…、（）()【】\[\]“”\"「」]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_LONG_HOURS = re.compile(
    r"(?:每天|一天|天天|每日|日均|一日)(?:都|要|得|需要|至少|基本)?(?:工作|上班|干活|干|站|上)(?:了|时长|时间)?"
    r"(?:至少|将近|快|超过|近|都在|长达)?"
    r"(1[0-9]|2[0-4]|十[一二三四五六七八九]?|十几|十多)(?:个)?(?:多)?(?:小时|钟头)"
    r"|(?:每周|一周)(?:工作|上班)(?:至少|将近|超过|近)?([6-9]\d|七十|八十|六十)(?:多)?(?:个)?小时"
    r"|早(?:上)?[七八6-8](?:点)?[^，。！？]{0,6}晚(?:上)?(?:[九十]|1[01]|9)点?"
    r"|加(?:班)?到(?:晚上|凌晨|半夜|深夜|夜里)?(?:1[0-2]|[1-4]|十[一二]?|[一二三四])点"
    r"|连续(?:工作|上班|干活)(?:了|超过|将近|近)?(1[2-9]|2\d|十[二三四五六七八九]|二十)(?:多)?(?:个)?小时"
    r"|(?:每月|每个月|一个月|月)(?:只|仅|才)?(?:能)?休(?:息)?(?:[一二两三四1-4]|半)天"
    r"|(?:每周|一周|一星期|一个星期|周)(?:只|仅|才)?(?:能)?休(?:息)?(?:一|1|半)天"
    r"|早(?:上)?(?:[5-9]|1[01]|[五六七八九十]|十一)点?[^，。！？]{0,6}(?:晚(?:上)?|夜里)(?:[89]|1[0-2]|[八九十]|十[一二])点"
)
# Long or unpaid hours without the word 加班: 干到半夜还不让走, 周末也要到岗, 下班后还要参加培训 (needs work context).
_IMPLIED_OVERTIME = re.compile(
    r"(?:干|做|忙|上班|工作|加班|熬|站|守)(?:到|至)(?:后半夜|大半夜|半夜|深夜|凌晨|夜里|晚上十[一二]点|十[一二]点|1[12]点)"
    r"|(?:半夜|深夜|凌晨|夜里)(?:[一二三四五1-5]点)?(?:才|还)(?:能)?(?:下班|收工|走|回家|离开)"
    r"|(?:晚上|夜里|半夜|凌晨)(?:[九十]|十[一二]|9|1[0-2]|[1-3一二三])点(?:多|半)?(?:才|还没|还不能)?(?:下班|收工)"
    r"|不(?:让|准|许|给)(?:我们|员工|大家|我)?(?:走|下班|回家|离开|按时下班|准时下班)"
    r"|(?:周末|周六|周日|周天|星期六|星期天|星期日|礼拜天|节假日|法定假日|假期|休息日|春节|过年|国庆)"
    r"(?:也|还|都|照样|照常|一样)(?:要|得|必须|需要|让|被要求|被叫)?(?:去|来|回)?"
    r"(?:到岗|上班|加班|来厂|回厂|来公司|回公司|打卡|值班|干活|开工|上岗|工作|开会)"
    r"|下班(?:后|以后|之后|了|时间)(?:(?:还|也|都|经常|总是)(?:要|得|让|被要求|必须|被叫)?|要|得|必须|被要求|被叫)"
    r"(?:去|来)?(?:参加|开会|培训|回复|回消息|处理|改方案|干活|工作|加班|值班|学习)"
    r"|(?:要求|让|逼|强制|规定|通知)[^，。！？]{0,6}下班(?:后|以后|之后)(?:去|来)?(?:参加|开会|培训|值班|学习|加班)"
)
# An award or claim of overtime pay (裁决…支付…加班费, 主张加班工资).
_OVERTIME_PAY_CLAIM = re.compile(
    r"(?:支付|补发|补足|追回|索要|主张|讨要|追讨|请求|赔付)[^，。！？；]{0,24}加班(?:费|工资)"
)
# Wages held back for months (工资还压两个月, 工资拖了三个月).
_WAGES_HELD = re.compile(
    r"(?:工资|工钱|薪水|薪资)(?:还|都|又|已经|被|也)?(?:压|押|拖|欠|扣)(?:了|着)?(?:我们|大家)?"
    r"(?:[一两二三四五六七八九十几半]|\d+)(?:多)?个?(?:月|年)"
)
# Hiring or treatment restricted by sex, age or marriage (这个岗位不考虑女生, 不要大龄的).
_GROUP_BIAS = re.compile(
    r"(?:不考虑|不要|不招|不收|不录用|不录取|拒招|谢绝|不适合|只招|只要|只收|限招)"
    r"(?:女生|女性|女的|女孩|女孩子|女同志|宝妈|孕妇|已婚未育|未婚|已婚|大龄|年纪大的|岁数大的|男生|男性|男的|"
    r"\d{2}岁以上|[三四五]十岁以上)"
)
# An enterprise emptied (机器都卖了, 设备被拉走).
_EMPTIED = re.compile(
    r"(?:机器|设备|原材料|货物|库存)(?:都|全|全部|已经|被|都被|连夜)?(?:卖|搬|拉|运|变卖)(?:了|走|空|光)"
)
# A deposit taken on hiring (让交500块押金) — needs work context.
_DEPOSIT = re.compile(r"(?:交|收|押|扣)(?:了|取)?[^，。！？；]{0,6}押金")
# Being made to resign (逼我们签“自愿离职”, 让我写辞职报告).
_FORCED_RESIGNATION = re.compile(
    r"(?:逼|强迫|要求|让|叫|迫使|被迫|诱导|骗)(?:我们|我|员工|大家|工人|职工|其|他们)?(?:去|先)?(?:签|写|交|提)"
    r"[^。！？]{0,3}(?:自愿离职|主动离职|离职申请|辞职信|辞职报告|辞职申请|离职协议|自愿辞职|主动辞职)"
    r"|(?:逼|强迫|让|叫|要求|迫使|劝)(?:我们|我|员工|大家|工人|职工|其|他们|她|他)(?:自己|主动|自动)(?:提出)?(?:辞职|离职|走人)"
)


_REGION_BIAS = re.compile(
    r"(?:不招|不要|不收|拒招|不录用|谢绝|不考虑|拒绝)(?:河南|东北|新疆|西藏|外地|外省|农村|湖北|安徽|四川|江西|广西|甘肃|"
    r"贵州|云南|山东|河北|山西|陕西|湖南|福建|黑龙江|吉林|辽宁|内蒙|宁夏|青海|潮汕)(?:人|籍|户籍|户口|的|地区)"
)
MAX_TERMS = 6  # likewise for direct terms
MAX_PAIRS = 3  # evidence enough: further object/predicate pairs of a category are not looked for
COLLECTIVE_PEOPLE = 8  # a counted group this large doing something together is collective action


class _Hit:
    __slots__ = ("start", "end", "word", "roles")

    def __init__(self, start: int, end: int, word: str, roles: tuple):
        self.start, self.end, self.word, self.roles = start, end, word, roles


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


class _Doc:
    """The per-text state shared by the category, severity and sentiment rules."""

    def __init__(self, text: str):
        self.text = text
        self.lower = text.lower()
        self.clauses = [m.start() for m in _CLAUSE_END.finditer(self.lower)]
        self.sentences = [m.start() for m in _SENTENCE_END.finditer(self.lower)]
        hits: list[_Hit] = []
        for end, (length, roles) in _AUTOMATON.iter(self.lower):
            hits.append(_Hit(end - length + 1, end + 1, self.lower[end - length + 1 : end + 1], roles))
        self.hits = hits
        veto_spans = [(h.start, h.end) for h in hits if any(r[0] == _VETO for r in h.roles)]
        self.by_role: dict[int, list] = {}
        for h in hits:
            for role in h.roles:
                code = role[0]
                if code in (_DS, _DW, _HYPO, _HYPC, _DA, _BLOCK, _THREAT, _QWORD) and veto_spans:
                    if any(
                        vs <= h.start and h.end <= ve and (ve - vs) > (h.end - h.start)
                        for vs, ve in veto_spans
                    ):
                        continue
                self.by_role.setdefault(code, []).append((h, role))
        self.blocks = {role[1] for h, role in self.by_role.get(_BLOCK, ())}
        self.blocks_clause = [(h.start, h.end, h.word) for h, role in self.by_role.get(_BLOCK, ())]
        self.has_context = _CTX in self.by_role
        self.denied_text = _DT in self.by_role
        # cue hits by (role, sentence): the rules only ever look within a sentence, which keeps long texts linear
        self._cues: dict[tuple[int, int], list[_Hit]] = {}
        for code in (_DW, _DS, _DA, _RESP, _HAFT, _HYPC, _HYPO, _HBRK, _THREAT, _QASK, _QWORD, _RUMOUR):
            for h, _role in self.by_role.get(code, ()):
                self._cues.setdefault((code, self.sentence_of(h.start)), []).append(h)

    def cues(self, code: int, sentence: int) -> list[_Hit]:
        return self._cues.get((code, sentence), [])

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self.clauses, pos)

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.sentences, pos)

    def denied(self, start: int, end: int) -> bool:
        """A denial scoped to the clause before the term, or a rebuttal later in its sentence."""
        sentence = self.sentence_of(start)
        clause = self.clause_of(start)
        for h in self.cues(_DW, sentence):
            if h.end <= start and start - h.end <= WEAK_DENIAL_GAP and self.clause_of(h.start) == clause:
                return True
        for h in self.cues(_DS, sentence):
            if h.end <= start and start - h.end <= STRONG_DENIAL_REACH and self.clause_of(h.start) == clause:
                return True
        rumour = any(r.end <= start for r in self.cues(_RUMOUR, sentence))
        for h in self.cues(_DA, sentence):
            if h.start >= end:
                # 员工称被欠薪，公司回应称不属实: the rebuttal is another party's, the allegation stands
                # (unless what it rebuts is a rumour: 网传…裁员，该行回应称不实)
                if rumour or not any(end <= r.start and r.end <= h.start for r in self.cues(_RESP, sentence)):
                    return True
        if rumour:
            # 网传“某厂工人罢工”…，并非罢工 / 网上说要裁员…：没有的事
            if any(h.start >= end and h.word != "回应" for h in self.cues(_DS, sentence)):
                return True
        return False

    def hypothetical(self, start: int, end: int | None = None, category: str | None = None) -> bool:
        """A hypothetical, preventive or normative frame around the term (如果…, 防止…, …的话, …的，应当),
        an ultimatum in its clause (…，否则扣工资) except for the categories it raises, or a legal question
        (咨询…是否…)."""
        sentence = self.sentence_of(start)
        if end is not None and any(h.start >= end for h in self.cues(_HAFT, sentence)):
            return True
        clause = self.clause_of(start)
        for h in self.cues(_HYPC, sentence):
            if h.end <= start and self.clause_of(h.start) == clause:
                return True
        if category not in _THREAT_RAISES:
            for h in self.cues(_THREAT, sentence):
                if h.end <= start and self.clause_of(h.start) == clause:
                    return True
        if end is not None:
            # 咨询被公司辞退能否… is the caller's own case, not a question about the law
            passive = "被" in self.lower[max(0, start - 6) : start + 1]
            for q in self.cues(_QASK, sentence):
                if (
                    not passive
                    and q.end <= start
                    and any(w.start >= q.end for w in self.cues(_QWORD, sentence))
                ):
                    return True
        for h in self.cues(_HYPO, sentence):
            if h.end <= start:
                if not any(h.end <= b.start and b.end <= start for b in self.cues(_HBRK, sentence)):
                    return True
        return False


def _categorise_full(doc: _Doc) -> tuple[list[str], list[tuple[int, int, str, str]], set[str]]:
    """Categories the rules find, their terms (start, end, word, category), and the categories the rules vetoed
    (a term of it denied,
    hypothetical, excluded by a covering phrase or blocked by the kind of text): the model never adds those."""
    if doc.denied_text:
        return [], [], set(CATEGORIES)
    vetoed: set[str] = set()
    found: dict[str, list[tuple[int, str]]] = {}
    excl: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for h, role in doc.by_role.get(_EXCL, ()):
        excl.setdefault((role[1], doc.sentence_of(h.start)), []).append((h.start, h.end))
        # a phrase giving the category's words another sense (加班车): the model may not add the category
        vetoed.add(role[1])

    def excluded(category: str, start: int, end: int) -> bool:
        if not excl:
            return False
        spans = excl.get((category, doc.sentence_of(start)), ())
        return any(_overlaps(start, end, s, e) for s, e in spans)

    def blocked(category: str) -> bool:
        return bool(_META["text_blockers"][category] & doc.blocks)

    def clause_blocked(category: str, word: str, start: int) -> bool:
        blockers = _META["clause_blockers"][category].get(word)
        if not blockers:
            return False
        sentence = doc.sentence_of(start)
        return any(w in blockers and doc.sentence_of(s) == sentence for s, _e, w in doc.blocks_clause)

    def counts(category: str, word: str, start: int, end: int, spans) -> bool:
        if any(excluded(category, s, e) for s, e in spans):
            vetoed.add(category)
            return False
        if word in _META["context_terms"][category] and not doc.has_context:
            return False
        if clause_blocked(category, word, start):
            vetoed.add(category)
            return False
        if doc.denied(start, end) or doc.hypothetical(start, end, category):
            vetoed.add(category)
            return False
        return True

    for h, role in doc.by_role.get(_TERM, ()):
        category = role[1]
        if blocked(category):
            vetoed.add(category)
            continue
        if len(found.get(category, ())) >= MAX_TERMS:
            continue
        if counts(category, h.word, h.start, h.end, ((h.start, h.end),)):
            found.setdefault(category, []).append((h.start, h.end, h.word))
    objects: dict[tuple[str, int], list[_Hit]] = {}
    for h, role in doc.by_role.get(_OBJ, ()):
        objects.setdefault((role[1], doc.sentence_of(h.start)), []).append(h)
    if "collective_action" not in found:
        for match in _PEOPLE.finditer(doc.lower):
            value = _cn_number(match.group(1))
            if value and value >= COLLECTIVE_PEOPLE:
                hit = _Hit(match.start(), match.end(), match.group(0), ())
                objects.setdefault(("collective_action", doc.sentence_of(hit.start)), []).append(hit)
    paired: dict[str, int] = {}
    for p, role in doc.by_role.get(_PRED, ()):
        category = role[1]
        if paired.get(category, 0) >= MAX_PAIRS or blocked(category):
            continue
        sentence = doc.sentence_of(p.start)
        candidates = objects.get((category, sentence))
        if not candidates:
            continue
        window = _META["windows"][category]
        for o in candidates:
            if _overlaps(o.start, o.end, p.start, p.end):
                continue
            gap = p.start - o.end if o.end <= p.start else o.start - p.end
            if gap > window:
                continue
            start, end = min(o.start, p.start), max(o.end, p.end)
            if excluded(category, o.start, o.end) or excluded(category, p.start, p.end):
                vetoed.add(category)
                continue
            if doc.denied(p.start, end) or doc.hypothetical(start, end, category):
                vetoed.add(category)
                continue
            if (not o.roles or o.word in _META["context_terms"][category]) and not doc.has_context:
                continue
            found.setdefault(category, []).extend(((o.start, o.end, o.word), (p.start, p.end, p.word)))
            paired[category] = paired.get(category, 0) + 1
            break
    if "discrimination" not in found and not blocked("discrimination"):
        match = _REGION_BIAS.search(doc.lower)
        if match and not doc.hypothetical(match.start()) and not doc.denied(match.start(), match.end()):
            found["discrimination"] = [(match.start(), match.end(), match.group(0))]
        elif match:
            vetoed.add("discrimination")
    if "overtime_hours" not in found and not blocked("overtime_hours"):
        match = _LONG_HOURS.search(doc.text)
        if match and not doc.hypothetical(match.start()) and not doc.denied(match.start(), match.end()):
            found["overtime_hours"] = [(match.start(), match.end(), match.group(0))]
        elif match:
            vetoed.add("overtime_hours")
    for category, pattern, needs_context in (
        ("overtime_hours", _IMPLIED_OVERTIME, True),
        ("overtime_hours", _OVERTIME_PAY_CLAIM, False),
        ("wage_arrears", _WAGES_HELD, False),
        ("contract", _DEPOSIT, True),
        ("discrimination", _GROUP_BIAS, True),
        ("enterprise_closure", _EMPTIED, True),
        ("dismissal_layoff", _FORCED_RESIGNATION, True),
    ):
        if category in found or blocked(category) or (needs_context and not doc.has_context):
            continue
        for match in pattern.finditer(doc.lower):
            s, e = match.start(), match.end()
            if not doc.hypothetical(s, e, category) and not doc.denied(s, e):
                found[category] = [(s, e, match.group(0))]
                break
            vetoed.add(category)
    categories = [c for c in CATEGORIES if c in found]
    terms = sorted({(*t, c) for c in categories for t in found[c]})
    return categories, terms, vetoed - set(categories)


USE_MODEL = True  # False: the rules alone (bench and tests compare)
HARD_VETO = True  # the model never adds a category the rules saw denied, hypothetical or in another sense

# what the rules saw, as the model's extra inputs (names are stored with the weights and checked on load)
_CUE_FEATURES = (
    ("denial_weak", _DW),
    ("denial_strong", _DS),
    ("denial_after", _DA),
    ("response", _RESP),
    ("hypothesis_clause", _HYPC),
    ("hypothesis", _HYPO),
    ("hypothesis_break", _HBRK),
    ("hypothesis_after", _HAFT),
    ("block", _BLOCK),
    ("threat", _THREAT),
    ("question_ask", _QASK),
    ("question_word", _QWORD),
    ("rumour", _RUMOUR),
    ("sentiment_word", _SENT),
    ("negator", _NEG),
    ("formal", _FORMAL),
)
RULE_FEATURES = (
    tuple(f"found:{c}" for c in CATEGORIES)
    + tuple(f"vetoed:{c}" for c in CATEGORIES)
    + ("context", "denied_text")
    + tuple(f"cue:{name}" for name, _code in _CUE_FEATURES)
)


def rule_vector(doc: _Doc, categories, vetoed) -> np.ndarray:
    """The rules' view of a text as the model's extra inputs, in the order of ``RULE_FEATURES``."""
    found, veto = set(categories), set(vetoed)
    return np.array(
        [c in found for c in CATEGORIES]
        + [c in veto for c in CATEGORIES]
        + [doc.has_context, doc.denied_text]
        + [code in doc.by_role for _name, code in _CUE_FEATURES],
        dtype=np.float32,
    )


@lru_cache(maxsize=1)
def _loaded_model() -> _model.Model | None:
    model = _model.load()
    if model is not None and (model.rule_features != RULE_FEATURES or model.categories != CATEGORIES):
        raise ValueError("model_weights.npz was trained for other rule features or categories: retrain it")
    return model


def _categories(doc: _Doc) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The model's decision over the rules' view and the text's n-grams; a category the rules vetoed stays out,
    and ``terms`` keeps the rule terms of the categories that remain."""
    categories, terms, vetoed = _categorise_full(doc)
    model = _loaded_model() if USE_MODEL and doc.lower.strip() else None
    if model is not None:
        found = np.array([c in categories for c in CATEGORIES])
        predicted = set(model.predict(doc.lower, rule_vector(doc, categories, vetoed), found))
        if HARD_VETO:
            predicted -= vetoed
        if predicted != set(categories):
            categories = [c for c in CATEGORIES if c in predicted]
            terms = [t for t in terms if t[3] in predicted]
    return categories, [t[:3] for t in terms]


def _outermost(spans: list[tuple[int, int, str]]) -> list[str]:
    """Distinct words of the spans not contained in a longer span (拖欠工资, not also 拖欠 and 工资)."""
    spans = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    words: list[str] = []
    reach = -1
    for _start, end, word in spans:
        if end <= reach:
            continue
        reach = max(reach, end)
        if word not in words:
            words.append(word)
    return words


# --- people counts -------------------------------------------------------------------------------

_CN_DIGIT = CN_DIGITS
_CN_UNIT = CN_UNITS
_FUZZY = (
    ("好几千", 3000),
    ("数千", 3000),
    ("几千", 3000),
    ("上千", 1000),
    ("近千", 1000),
    ("千余", 1000),
    ("好几百", 300),
    ("数百", 300),
    ("几百", 300),
    ("上百", 100),
    ("近百", 100),
    ("百余", 100),
    ("百来", 100),
    ("好几十", 30),
    ("数十", 30),
    ("几十", 30),
    ("十几", 15),
    ("十多", 15),
    ("十余", 15),
    ("近十", 10),
    ("好几", 5),
    ("几", 4),
    ("数", 4),
)
_PEOPLE_NOUN = (
    "人|工人|员工|职工|农民工|工友|骑手|司机|师傅|外卖员|快递员|女工|男工|保安|保洁|教师|老师|护士|医护|"
    "劳动者|务工人员|务工者|建筑工人|工匠|学徒|实习生|临时工|派遣工|环卫工|店员|营业员|服务员|名"
)
_NUMBER = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万几数上近余多来好]+)"
_PEOPLE = re.compile(
    rf"(?<![第前后])(?:约|近|将近|超过|逾|共|共有|至少|有|了)?{_NUMBER}\s*(?:多|余|来)?\s*"
    rf"(?:(名|位)|(?:个|号)?\s*(?:{_PEOPLE_NOUN}))(?!民|次|均|工费|份|民币|力|员工资)"
)
_ALL_STAFF = re.compile(
    r"全体(?:员工|工人|职工|工友)|全厂(?:工人|职工|员工)?|所有(?:员工|工人|职工)|全部(?:员工|工人|职工)"
)


def _cn_number(token: str) -> int | None:
    for word, value in _FUZZY:
        if token == word or token.startswith(word) and all(c in "多余来人" for c in token[len(word) :]):
            return value
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return int(float(token))
    # 二三十 / 三四十: two digits then a unit, read as the mean.
    if len(token) == 3 and token[0] in _CN_DIGIT and token[1] in _CN_DIGIT and token[2] in _CN_UNIT:
        return (_CN_DIGIT[token[0]] + _CN_DIGIT[token[1]]) * _CN_UNIT[token[2]] // 2
    total, current = 0, 0
    for char in token:
        if char in _CN_DIGIT:
            current = _CN_DIGIT[char]
        elif char in _CN_UNIT:
            unit = _CN_UNIT[char]
            if unit == 10000:
                total = (total + current) * unit
            else:
                total += (current or 1) * unit
            current = 0
        elif char in "多余来":
            continue
        else:
            return None
    return total + current


def parse_people(text: str, *, all_staff: int = 50) -> int:
    """The largest number of people the text mentions (数十名工人 → 30, 200多名 → 200, 上百人 → 100)."""
    best = 0
    for match in _PEOPLE.finditer(text):
        value = _cn_number(match.group(1))
        if value and value < 1_000_000:
            best = max(best, value)
    if all_staff and _ALL_STAFF.search(text):
        best = max(best, all_staff)
    return best


# --- severity ------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _severity_automaton(rules: SeverityRules) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    words: dict[str, list] = {}
    for level, group in (
        ("yellow", rules.yellow_words),
        ("orange", rules.orange_words),
        ("red", rules.red_words),
    ):
        for w in group:
            words.setdefault(w.lower(), []).append(_LEVEL[level])
    for w in rules.word_exclusions:
        words.setdefault(w.lower(), []).append(-1)
    if not words:
        return None
    for w, levels in words.items():
        automaton.add_word(w, (len(w), tuple(levels)))
    automaton.make_automaton()
    return automaton


def _severity(
    doc: _Doc, categories: list[str], rules: SeverityRules
) -> tuple[str, list[tuple[int, int, str]]]:
    automaton = _severity_automaton(rules)
    hits = []
    if automaton is not None:
        hits = [(end - length + 1, end + 1, levels) for end, (length, levels) in automaton.iter(doc.lower)]
    exclusions = [(s, e) for s, e, levels in hits if -1 in levels]
    level, terms = 0, []
    word_level = 0
    for start, end, levels in hits:
        top = max(levels)
        if top < 0 or any(_overlaps(start, end, s, e) for s, e in exclusions):
            continue
        if doc.denied(start, end):
            continue
        if top > word_level:
            word_level = top
        terms.append((start, end, doc.lower[start:end]))
    if "fiction" in doc.blocks:
        return "none", []
    if categories:
        level = _LEVEL[rules.base]
        people = parse_people(doc.text, all_staff=rules.all_staff_people)
        if people >= rules.red_people:
            level = 4
        elif people >= rules.orange_people:
            level = max(level, 3)
        elif people >= rules.yellow_people:
            level = max(level, 2)
        if "collective_action" in categories:
            level = max(level, _LEVEL[rules.collective_level])
            if people >= rules.collective_red_people:
                level = 4
        level = max(level, word_level)
    elif not rules.life_threats_need_category and word_level == 4 and doc.has_context:
        level = 4
    else:
        terms = []
    return SEVERITIES[level], terms


# --- sentiment -----------------------------------------------------------------------------------


CATEGORY_PRIOR = -1.0  # a raised risk weighs like one more negative word (complaints often use neutral words)
FORMAL_DAMPING = 0.25
HYPOTHETICAL_DAMPING = 0.3
QUESTION_DAMPING = 0.7
REBUTTAL_DAMPING = 0.2


def _sentiment(doc: _Doc, categories: list[str] | tuple = ()) -> float:
    candidates = []
    for code in (_SENT, _NEG, _DEG, _CONTRAST):
        for h, role in doc.by_role.get(code, ()):
            candidates.append((h.start, -(h.end - h.start), h.end, code, role[1] if len(role) > 1 else None))
    prior = CATEGORY_PRIOR if categories else 0.0
    if not candidates and not prior:
        return 0.0
    candidates.sort()
    chosen = []
    covered = -1
    for start, _neg_len, end, code, value in candidates:
        if start < covered:
            continue
        chosen.append((start, end, code, value))
        covered = end
    text = doc.lower
    total = 0.0
    neg_end, neg_clause = -10, -1
    deg_end, deg_mult, deg_clause = -10, 1.0, -1
    after_contrast = 1.0
    for start, end, code, value in chosen:
        clause = doc.clause_of(start)
        if code == _NEG:
            neg_end, neg_clause = end, clause
        elif code == _DEG:
            deg_end, deg_mult, deg_clause = end, value, clause
        elif code == _CONTRAST:
            total *= 0.6
            after_contrast = 1.3
        else:
            score = value
            if deg_clause == clause and 0 <= start - deg_end <= SENTIMENT_REACH:
                score *= deg_mult
            if neg_clause == clause and 0 <= start - neg_end <= SENTIMENT_REACH:
                score = -0.8 * score if score > 0 else -0.4 * score
            sentence_end = bisect.bisect_left(doc.sentences, end)
            if sentence_end < len(doc.sentences):
                mark = text[doc.sentences[sentence_end]]
                if mark in "!！":
                    score *= 1.3
                elif mark in "?？":
                    score *= QUESTION_DAMPING
            if doc.hypothetical(start):
                score *= HYPOTHETICAL_DAMPING
            total += score * after_contrast
    total += prior
    if _FORMAL in doc.by_role:
        total *= FORMAL_DAMPING
    if (_RUMOUR in doc.by_role and (_DA in doc.by_role or _DS in doc.by_role)) or doc.denied_text:
        # a rebuttal of a rumour (网传…，经核实系谣言) reports, it does not complain or celebrate
        total *= REBUTTAL_DAMPING
    if total == 0:
        return 0.0
    return round(total / math.sqrt(total * total + 6.0), 4)


def sentiment(text: str) -> float:
    """Sentiment of any Chinese text in [-1, 1] (the risk categories it raises count as negative)."""
    doc = _Doc(text or "")
    return _sentiment(doc, _categories(doc)[0])


def sentiment_label(score: float) -> str:
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= -POSITIVE_THRESHOLD:
        return "negative"
    return "neutral"


# --- entry points --------------------------------------------------------------------------------


def classify(text: str, *, rules: SeverityRules | None = None) -> Classification:
    """Categories, sentiment, severity and the matched terms of one text."""
    doc = _Doc(text or "")
    categories, category_terms = _categories(doc)
    severity, severity_terms = _severity(doc, categories, rules or _DEFAULT_RULES)
    terms = _outermost(category_terms + severity_terms)
    return Classification(tuple(categories), _sentiment(doc, categories), severity, tuple(terms))


def classify_many(texts: Iterable[str], *, rules: SeverityRules | None = None) -> list[Classification]:
    return [classify(t, rules=rules) for t in texts]


_DEFAULT_RULES = SeverityRules()
