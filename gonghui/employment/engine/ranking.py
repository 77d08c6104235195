"""Two-way matching: jobs for a seeker (``JobIndex``) and seekers for a posting (``SeekerIndex``).

Score = text relevance (BM25 over rjieba tokens; the posting title counts twice, query words pull in
their synonyms at a lower weight; scaled so the best text match of the query is 1) + structured fit
(occupation code and its groups, district, salary overlap, education, experience, skill level; a
shortfall against a requirement is a penalty, not a filter, so a near miss still shows) + policy boosts
(priority groups a posting is reserved for or a campaign the seeker joined).

Candidates are the postings that share a text term or an occupation group with the query, found through
the inverted index; only those get structured scores, all in numpy. ``search_brute_force`` scores every
live document one by one in Python with the same formula: the baseline for the benchmark and the
reference the tests compare the index with.

``reasons`` are codes with parameters, for the Django side to render translated:
``("text", {"terms": [...]})``, ``("occupation", {"code", "exact"})``, ``("district", {"district"})``,
``("salary_overlap", {"min", "max"})``, ``("salary_below", {"max", "wanted"})``,
``("education", {"level"})``, ``("education_gap", {"required"})``, ``("experience", {"years"})``,
``("experience_gap", {"required"})``, ``("skill_level", {"rank"})``, ``("skill_gap", {"required"})``,
``("priority", {"group"})``, ``("campaign", {"campaign"})``.
"""

import math
from collections import Counter

import numpy as np

from gonghui.employment.data.education import EDUCATION_RANK
from gonghui.employment.data.occupations import occupation_label
from gonghui.employment.engine.matcher import (
    DEFAULT_WEIGHTS,
    JobDoc,
    Match,
    Retrieval,
    SeekerProfile,
    Weights,
    _Matcher,
    _occupation_fit,
    _occupation_tags,
    _query_terms,
    _salary_fit,
    _shortfall,
    _top,
    locked,
)
from gonghui.employment.engine.text import tokens

__all__ = [
    "DEFAULT_WEIGHTS",
    "JobDoc",
    "JobIndex",
    "Match",
    "Retrieval",
    "SeekerIndex",
    "SeekerProfile",
    "Weights",
]

TITLE_REPEAT = 3  # dev NDCG@10: 1 → 0.944, 2 → 0.944, 3 → 0.948
_CODE_OF_RANK = {rank: code for code, rank in reversed(list(EDUCATION_RANK.items()))}  # 2 → high_school
PRUNE_START = 1000  # candidates scored in full before the pruning test (grows ×4 until it holds)


class JobIndex(_Matcher):
    """Live postings, searched for a seeker."""

    numeric = ("salary_min", "salary_max", "education", "experience", "skill")
    categorical = ("district", "o", "o1", "o2", "o3")

    def __init__(self, docs=(), *, weights: Weights = DEFAULT_WEIGHTS, keep_terms: bool = False):
        """``keep_terms`` keeps each posting's term counts for ``search_brute_force`` (benchmarks and tests;
        it costs about 1.5 kB a posting, so a web process leaves it off)."""
        super().__init__(docs, weights=weights, keep_terms=keep_terms)

    def _columns(self, doc: JobDoc) -> dict[str, str]:
        parts = doc.occupation.split("-") if doc.occupation else []
        columns = {"district": doc.district, "o": doc.occupation if len(parts) == 4 else ""}
        for depth in (1, 2, 3):
            columns[f"o{depth}"] = "-".join(parts[:depth]) if len(parts) >= depth else ""
        return columns

    def _row(self, doc: JobDoc):
        counts = Counter(tokens(doc.title) * TITLE_REPEAT)
        counts.update(tokens(doc.description))
        counts.update(tokens(" ".join(doc.skills)))
        counts.update(tokens(occupation_label(doc.occupation)))
        tags = [f"c:{c}" for c in doc.campaigns] + [f"p:{g}" for g in doc.priority_groups]
        numbers = {
            "salary_min": doc.salary_min,
            "salary_max": doc.salary_max,
            "education": EDUCATION_RANK.get(doc.education or "any", 0),
            "experience": doc.experience_min or 0,
            "skill": doc.skill_level or 0,
            **self._columns(doc),
        }
        return doc.id, counts, tuple(tags), numbers

    def _query(self, profile: SeekerProfile) -> dict[str, float]:
        parts = [(profile.text, 1.0), (" ".join(profile.skills), 1.0)]
        parts += [(occupation_label(code), 0.5) for code in profile.occupations]
        return _query_terms(parts, self.weights.synonym)

    def _filter(self, slots: np.ndarray, filters: dict | None) -> np.ndarray:
        if not filters:
            return slots
        store = self.store
        keep = np.ones(len(slots), dtype=bool)
        if filters.get("districts"):
            keep &= np.any([store.category_is("district", d, slots) for d in filters["districts"]], axis=0)
        if filters.get("occupation"):
            code = filters["occupation"]
            depth = len(code.split("-"))
            keep &= store.category_is("o" if depth == 4 else f"o{depth}", code, slots)
        if filters.get("campaign"):
            keep &= store.has_tag(f"c:{filters['campaign']}", slots)
        if filters.get("min_salary"):
            top = store.numbers["salary_max"][slots]
            keep &= ~(top < filters["min_salary"])  # unknown (面议) or open-ended pass
        if filters.get("exclude"):
            excluded = np.fromiter(filters["exclude"], dtype=np.int64)
            keep &= ~np.isin(store.ids[slots], excluded)
        return slots[keep]

    def _structured(self, profile: SeekerProfile, slots: np.ndarray) -> dict[str, np.ndarray]:
        store, n = self.store, len(slots)
        num = store.numbers
        parts: dict[str, np.ndarray] = {}
        if profile.occupations:
            parts["occupation"], parts["_occupation_which"] = _occupation_fit(
                store, profile.occupations, slots
            )
        if profile.districts:
            parts["district"] = (
                np.any([store.category_is("district", d, slots) for d in profile.districts], axis=0) * 1.0
            )
        if profile.salary_min:
            parts["salary"] = _salary_fit(
                profile.salary_min, num["salary_min"][slots], num["salary_max"][slots]
            )
        if profile.education:
            parts["education"] = _shortfall(
                EDUCATION_RANK.get(profile.education, 0), num["education"][slots], 2.0
            )
        if profile.experience_years is not None:
            required = num["experience"][slots]
            parts["experience"] = _shortfall(profile.experience_years, required, np.maximum(required, 1.0))
        skill_required = num["skill"][slots]
        skill = np.where(skill_required > 0, np.where(profile.skill_level >= skill_required, 1.0, 0.0), 0.0)
        if profile.skill_level:
            skill = skill + _shortfall(profile.skill_level, skill_required, 2.0)
        else:
            skill = _shortfall(0, skill_required, 2.0)
        parts["skill"] = skill
        if profile.priority_groups:
            parts["priority"] = (
                np.any([store.has_tag(f"p:{g}", slots) for g in profile.priority_groups], axis=0) * 1.0
            )
        if profile.campaigns:
            parts["campaign"] = (
                np.any([store.has_tag(f"c:{c}", slots) for c in profile.campaigns], axis=0) * 1.0
            )
        del n
        return parts

    def _combine(self, text: np.ndarray, parts: dict[str, np.ndarray]) -> np.ndarray:
        w = self.weights
        score = w.text * text
        for name, values in parts.items():
            if not name.startswith("_"):
                score = score + getattr(w, name) * values
        return score

    @locked
    def retrieve(self, profile: SeekerProfile) -> "Retrieval":
        """The text and occupation part of a search, which depends only on what the seeker asks for:
        seekers asking the same thing (same words, same occupations) can share one (see recommend)."""
        query = self._query(profile)
        dense, matched = self.store.bm25(query)
        extra = [("o" if len(c.split("-")) == 4 else f"o{len(c.split('-'))}", c) for c in profile.occupations]
        slots = self._candidates(dense, [], 0, extra, open_query=not query and not extra)
        return Retrieval(slots, dense[slots], matched, {}, {})

    @staticmethod
    def retrieval_key(profile: SeekerProfile) -> tuple:
        return (profile.text, profile.skills, profile.occupations)

    @locked
    def search(
        self,
        profile: SeekerProfile,
        k: int = 10,
        filters: dict | None = None,
        retrieval: "Retrieval | None" = None,
    ) -> list[Match]:
        if not len(self.store) or k <= 0:
            return []
        found = retrieval if retrieval is not None else self.retrieve(profile)
        slots, text = found.slots, found.text
        memo = found.memo
        if filters:
            keep = np.isin(slots, self._filter(slots, filters), assume_unique=True)
            slots, text, memo = slots[keep], text[keep], {}
        if not len(slots):
            return []
        best = text.max()
        text = text / best if best > 0 else text
        slots, text, scores, parts = self._score_pruned(profile, slots, text, k, memo)
        top = _top(scores, slots, self.store.ids, k)
        explained = found.explained
        missing = [slot for slot in slots[top].tolist() if slot not in explained]
        if missing:
            explained.update(
                zip(
                    missing,
                    self._text_reasons_many(np.array(missing, dtype=np.int32), found.matched),
                    strict=True,
                )
            )
        terms = [explained[slot] for slot in slots[top].tolist()]
        return self._explain_many(profile, slots, top, scores, text, parts, terms)

    def _bound(self, profile: SeekerProfile) -> float:
        """The most the structured part can add for this profile (shortfalls only subtract)."""
        w = self.weights
        return (
            w.occupation * bool(profile.occupations)
            + w.district * bool(profile.districts)
            + w.salary * bool(profile.salary_min)
            + w.skill * bool(profile.skill_level)
            + w.priority * bool(profile.priority_groups)
            + w.campaign * bool(profile.campaigns)
        )

    def _score_pruned(self, profile, slots, text, k, memo):
        """Full scores for the best text matches first; stop as soon as no candidate further down the
        text order could reach the k-th score even with a perfect structured fit (exact, like MaxScore).
        ``memo`` keeps the text order per limit for seekers sharing a retrieval."""
        bound = self._bound(profile)
        limit = PRUNE_START
        while len(slots) > limit and limit >= k:
            order = memo.get(limit)
            if order is None:
                order = memo[limit] = np.argpartition(-text, limit)
            head = order[:limit]
            rest_best = float(text[order[limit]])
            parts = self._structured(profile, slots[head])
            scores = self._combine(text[head], parts)
            kth = float(np.partition(scores, len(scores) - k)[len(scores) - k])
            if self.weights.text * rest_best + bound < kth:
                return slots[head], text[head], scores, parts
            limit *= 4
        parts = self._structured(profile, slots)
        return slots, text, self._combine(text, parts), parts

    def _explain_many(self, profile, slots, top, scores, text, parts, terms) -> list[Match]:
        """Matches with their reasons for the chosen positions ``top`` (vectorised per reason)."""
        store, num = self.store, self.store.numbers
        top_slots = slots[top]
        pick = {name: values[top].tolist() for name, values in parts.items()}
        low, high = num["salary_min"][top_slots].tolist(), num["salary_max"][top_slots].tolist()
        education = num["education"][top_slots].astype(int).tolist()
        experience = num["experience"][top_slots].astype(int).tolist()
        skill = num["skill"][top_slots].astype(int).tolist()
        district_of = {store.codes["district"].get(d): d for d in profile.districts}
        districts = store.categories["district"][top_slots].tolist()
        groups = [(g, store.has_tag(f"p:{g}", top_slots).tolist()) for g in profile.priority_groups]
        campaigns = [(c, store.has_tag(f"c:{c}", top_slots).tolist()) for c in profile.campaigns]
        ids = store.ids[top_slots].tolist()
        text_top, score_top = text[top].tolist(), scores[top].tolist()
        out = []
        for n in range(len(top)):
            reasons: list[tuple[str, dict]] = []
            if text_top[n] > 0 and terms[n]:
                reasons.append(("text", {"terms": terms[n]}))
            if "occupation" in pick and pick["occupation"][n] > 0:
                code = profile.occupations[int(pick["_occupation_which"][n])]
                reasons.append(("occupation", {"code": code, "exact": pick["occupation"][n] == 1.0}))
            if "district" in pick and pick["district"][n] > 0:
                reasons.append(("district", {"district": district_of[districts[n]]}))
            if "salary" in pick:
                offer = {
                    "min": None if math.isnan(low[n]) else int(low[n]),
                    "max": None if math.isnan(high[n]) else int(high[n]),
                    "wanted": profile.salary_min,
                }
                if pick["salary"][n] >= 1.0:
                    reasons.append(("salary_overlap", offer))
                elif pick["salary"][n] != 0.5:
                    reasons.append(("salary_below", offer))
            if "education" in pick and education[n]:
                code = _CODE_OF_RANK[education[n]]
                if pick["education"][n] < 0:
                    reasons.append(("education_gap", {"required": code}))
                else:
                    reasons.append(("education", {"level": code}))
            if "experience" in pick and experience[n]:
                if pick["experience"][n] < 0:
                    reasons.append(("experience_gap", {"required": experience[n]}))
                else:
                    reasons.append(("experience", {"years": experience[n]}))
            if skill[n]:
                if pick["skill"][n] > 0:
                    reasons.append(("skill_level", {"rank": skill[n]}))
                elif pick["skill"][n] < 0:
                    reasons.append(("skill_gap", {"required": skill[n]}))
            reasons += [("priority", {"group": g}) for g, hit in groups if hit[n]]
            reasons += [("campaign", {"campaign": c}) for c, hit in campaigns if hit[n]]
            out.append(Match(ids[n], round(score_top[n], 6), reasons))
        return out

    @locked
    def search_brute_force(self, profile: SeekerProfile, k: int = 10) -> list[tuple[int, float]]:
        """Every live posting scored one by one (no inverted index, no numpy): the benchmark baseline
        and the reference the index must agree with. Returns (id, score), best first."""
        store = self.store
        if not store.keep_terms:
            raise ValueError("search_brute_force needs an index built with keep_terms=True")
        query = self._query(profile)
        df = {term: 0 for term in query}
        live = [slot for slot in range(store.size) if store.alive[slot]]
        for slot in live:
            counts = store.slot_terms[slot] or {}
            for term in query:
                if term in counts:
                    df[term] += 1
        raw = {slot: store.bm25_one(slot, query, df) for slot in live}
        wanted = [
            ("o" if len(c.split("-")) == 4 else f"o{len(c.split('-'))}", c) for c in profile.occupations
        ]
        wanted_ids = {(col, store.codes[col].get(value)) for col, value in wanted}

        def occupation_named(slot: int) -> bool:
            return any(code is not None and store.categories[col][slot] == code for col, code in wanted_ids)

        candidates = [s for s in live if raw[s] > 0 or occupation_named(s)] if query or wanted else live
        best = max((raw[s] for s in candidates), default=0.0)
        scored = []
        for slot in candidates:
            text = raw[slot] / best if best > 0 else raw[slot]
            one = np.array([slot], dtype=np.int32)
            parts = self._structured(profile, one)
            scored.append((-float(self._combine(np.array([text]), parts)[0]), int(store.ids[slot])))
        scored.sort()
        return [(doc_id, round(-neg, 6)) for neg, doc_id in scored[:k]]


class SeekerIndex(_Matcher):
    """Seekers (with their consent to be matched), searched for a posting."""

    numeric = ("salary_min", "education", "experience", "skill")

    def _row(self, seeker: SeekerProfile):
        counts = Counter(tokens(seeker.text))
        counts.update(tokens(" ".join(seeker.skills)))
        for code in seeker.occupations:
            counts.update(tokens(occupation_label(code)))
        tags = [tag for code in seeker.occupations for tag in _occupation_tags(code)]
        tags += [f"d:{d}" for d in seeker.districts] or ["d:*"]
        tags += [f"p:{g}" for g in seeker.priority_groups] + [f"c:{c}" for c in seeker.campaigns]
        if seeker.priority_groups:
            tags.append("p:*")
        numbers = {
            "salary_min": seeker.salary_min,
            "education": EDUCATION_RANK.get(seeker.education, None) if seeker.education else None,
            "experience": seeker.experience_years,
            "skill": seeker.skill_level or 0,
        }
        return seeker.id, counts, tuple(dict.fromkeys(tags)), numbers

    def _groups_of(self, slot: int) -> list[str]:
        return [tag[2:] for tag in self.store.slot_tags[slot] if tag.startswith("p:") and tag != "p:*"]

    @locked
    def search(self, job: JobDoc, k: int = 10, filters: dict | None = None) -> list[Match]:
        if not len(self.store) or k <= 0:
            return []
        w, store = self.weights, self.store
        parts_text = [
            (job.title, float(TITLE_REPEAT)),
            (" ".join(job.skills), 1.0),
            (occupation_label(job.occupation), 0.5),
        ]
        query = _query_terms(parts_text, w.synonym)
        dense, matched = store.bm25(query)
        extra = (
            [f"o{min(len(job.occupation.split('-')), 3)}:{'-'.join(job.occupation.split('-')[:3])}"]
            if job.occupation and len(job.occupation.split("-")) >= 3
            else []
        )
        slots = self._candidates(dense, extra, k, open_query=not query and not extra)
        if filters and filters.get("exclude"):
            slots = slots[~np.isin(store.ids[slots], np.fromiter(filters["exclude"], dtype=np.int64))]
        if filters and filters.get("priority_only"):
            slots = slots[np.any([store.has_tag(f"p:{g}", slots) for g in filters["priority_only"]], axis=0)]
        if not len(slots):
            return []
        text = dense[slots]
        best = text.max()
        text = text / best if best > 0 else text
        num = store.numbers
        occupation = np.zeros(len(slots))
        if job.occupation:
            parts = job.occupation.split("-")
            occupation = np.maximum(occupation, store.has_tag(f"o:{job.occupation}", slots) * 1.0)
            for depth, value in ((3, 0.6), (2, 0.3)):
                if len(parts) > depth:
                    tag = f"o{depth}:{'-'.join(parts[:depth])}"
                    occupation = np.maximum(occupation, store.has_tag(tag, slots) * value)
        district = np.zeros(len(slots))
        if job.district:
            district = np.maximum(
                store.has_tag(f"d:{job.district}", slots) * 1.0, store.has_tag("d:*", slots) * w.any_district
            )
        offered = job.salary_max or job.salary_min
        wanted = num["salary_min"][slots]
        if offered:
            salary = np.where(
                np.isnan(wanted), 0.5, np.clip(offered / np.where(wanted > 0, wanted, 1), 0, 1) ** 3
            )
        else:
            salary = np.full(len(slots), 0.5)
        education = _shortfall(num["education"][slots], EDUCATION_RANK.get(job.education or "any", 0), 2.0)
        experience = _shortfall(
            num["experience"][slots], job.experience_min or 0, max(job.experience_min or 0, 1)
        )
        skill_has = num["skill"][slots]
        skill = np.where(job.skill_level and skill_has >= job.skill_level, 1.0, 0.0) + _shortfall(
            skill_has, job.skill_level or 0, 2.0
        )
        # policy: any priority-group seeker comes a little first; one the posting is reserved for, more
        priority = store.has_tag("p:*", slots) * 0.3
        for group in job.priority_groups:
            priority = np.maximum(priority, store.has_tag(f"p:{group}", slots) * 1.0)
        campaign = np.zeros(len(slots))
        for tag in job.campaigns:
            campaign = np.maximum(campaign, store.has_tag(f"c:{tag}", slots) * 1.0)
        scores = (
            w.text * text
            + w.occupation * occupation
            + w.district * district
            + w.salary * salary
            + w.education * education
            + w.experience * experience
            + w.skill * skill
            + w.priority * priority
            + w.campaign * campaign
        )
        top = _top(scores, slots, store.ids, k)
        out = []
        for i in top:
            slot = int(slots[i])
            reasons: list[tuple[str, dict]] = []
            terms = self._text_reasons(slot, matched) if text[i] > 0 else []
            if terms:
                reasons.append(("text", {"terms": terms}))
            if occupation[i] > 0:
                reasons.append(("occupation", {"code": job.occupation, "exact": bool(occupation[i] == 1.0)}))
            if district[i] == 1.0:
                reasons.append(("district", {"district": job.district}))
            if offered and salary[i] >= 1.0:
                reasons.append(
                    (
                        "salary_overlap",
                        {
                            "min": job.salary_min,
                            "max": job.salary_max,
                            "wanted": None if np.isnan(wanted[i]) else int(wanted[i]),
                        },
                    )
                )
            if education[i] < 0:
                reasons.append(("education_gap", {"required": job.education}))
            if experience[i] < 0:
                reasons.append(("experience_gap", {"required": job.experience_min}))
            if skill[i] > 0:
                reasons.append(("skill_level", {"rank": job.skill_level}))
            for group in job.priority_groups or self._groups_of(slot):
                if store.has_tag(f"p:{group}", slots[i : i + 1])[0]:
                    reasons.append(("priority", {"group": group}))
                    break
            for tag in job.campaigns:
                if store.has_tag(f"c:{tag}", slots[i : i + 1])[0]:
                    reasons.append(("campaign", {"campaign": tag}))
            out.append(Match(int(store.ids[slot]), round(float(scores[i]), 6), reasons))
        return out
