"""NDCG@k of the ranker and of plain keyword baselines on the labelled set (no Django needed)."""

import json
import math
from collections.abc import Callable
from pathlib import Path

from gonghui.employment.engine.ranking import DEFAULT_WEIGHTS, JobDoc, JobIndex, SeekerProfile, Weights
from gonghui.employment.engine.text import tokens

HERE = Path(__file__).resolve().parent


def load_jsonl(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8") as rows:
        return [json.loads(line) for line in rows if line.strip()]


def corpus_docs() -> list[JobDoc]:
    return [
        JobDoc(
            id=row["id"],
            title=row["title"],
            description=row["description"],
            occupation=row["occupation"],
            district=row["district"],
            salary_min=row["salary_min"],
            salary_max=row["salary_max"],
            education=row["education"],
            experience_min=row["experience_min"],
            skills=tuple(row["skills"]),
        )
        for row in load_jsonl("corpus.jsonl")
    ]


def profile_of(query: dict) -> SeekerProfile:
    return SeekerProfile(
        text=query["text"],
        districts=tuple(query.get("districts", ())),
        salary_min=query.get("salary_min"),
        education=query.get("education", ""),
        occupations=tuple(query.get("occupations", ())),
        priority_groups=tuple(query.get("priority_groups", ())),
    )


def ndcg(ranked: list[int], judgments: dict[str, int], k: int = 10) -> float:
    gains = [judgments.get(str(doc_id), 0) for doc_id in ranked[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mean_ndcg(rank: Callable[[dict], list[int]], queries: list[dict], k: int = 10) -> float:
    return sum(ndcg(rank(q), q["judgments"], k) for q in queries) / len(queries)


def ranker(docs: list[JobDoc], weights: Weights = DEFAULT_WEIGHTS) -> Callable[[dict], list[int]]:
    index = JobIndex(docs, weights=weights, keep_terms=False)
    return lambda query: [m.id for m in index.search(profile_of(query), k=10)]


def keyword_overlap(docs: list[JobDoc]) -> Callable[[dict], list[int]]:
    """Plain keyword search: postings ranked by how many distinct query words they contain (ties: newest id
    last, as a LIKE search ordered by id would list them)."""
    doc_terms = [
        (doc.id, set(tokens(f"{doc.title} {doc.description} {' '.join(doc.skills)}"))) for doc in docs
    ]

    def rank(query: dict) -> list[int]:
        wanted = set(tokens(query["text"]))
        scored = [(-len(wanted & terms), doc_id) for doc_id, terms in doc_terms if wanted & terms]
        return [doc_id for _s, doc_id in sorted(scored)[:10]]

    return rank


def text_bm25(docs: list[JobDoc]) -> Callable[[dict], list[int]]:
    """BM25 over the same rjieba tokens with nothing else (what core.search's FTS ranking gives)."""
    plain = Weights(
        synonym=0.0,
        occupation=0.0,
        district=0.0,
        salary=0.0,
        education=0.0,
        experience=0.0,
        skill=0.0,
        priority=0.0,
        campaign=0.0,
    )
    index = JobIndex(docs, weights=plain, keep_terms=False)

    def rank(query: dict) -> list[int]:
        return [m.id for m in index.search(SeekerProfile(text=query["text"]), k=10) if m.score > 0]

    return rank


def report(weights: Weights = DEFAULT_WEIGHTS) -> dict[str, dict[str, float]]:
    docs = corpus_docs()
    sets = {"dev": load_jsonl("dev_queries.jsonl"), "heldout": load_jsonl("heldout_queries.jsonl")}
    systems = {
        "keyword overlap": keyword_overlap(docs),
        "BM25 text only": text_bm25(docs),
        "ranker": ranker(docs, weights),
    }
    return {
        name: {split: mean_ndcg(rank, queries) for split, queries in sets.items()}
        for name, rank in systems.items()
    }
