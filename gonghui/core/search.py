"""Chinese full-text search behind one small interface.

Text is segmented with rjieba (search mode) and also split into character bigrams, so a partial name
such as 华为 or 技术有限 still finds 深圳华为技术有限公司. The token string is indexed by SQLite FTS5
(ranked with bm25) or PostgreSQL full-text with the ``simple`` configuration (ranked with ts_rank).
Domain apps call ``index``, ``remove`` and ``filter_ranked``; they never touch the backends.
"""

import re

import rjieba
from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

from gonghui.core.models import SearchDocument

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_QUERY_CHARS = 64
CANDIDATES = 2000


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens_for_index(*texts: str) -> str:
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        for run in _WORD.findall(text):
            if _CJK.match(run):
                out.extend(w for w in rjieba.cut_for_search(run) if len(w) > 1)
                out.extend(_bigrams(run))
                out.extend(run)  # single characters, so a one-character query still matches
            else:
                out.append(run.lower())
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The terms every match must contain: character bigrams for Chinese, whole words otherwise."""
    terms: list[str] = []
    for run in _WORD.findall((query or "")[:MAX_QUERY_CHARS]):
        terms.extend(_bigrams(run) if _CJK.match(run) else [run.lower()])
    seen: set[str] = set()
    return [t for t in terms if not (t in seen or seen.add(t))]


_SOURCES: dict[str, object] = {}


def register_source(kind: str, rows) -> None:
    """``rows()`` yields (object id, texts) for every object of the kind, for ``rebuild_search_index``."""
    _SOURCES[kind] = rows


def _document_tokens(kind: str, texts) -> str:
    # A kind token lets SQLite's FTS5 narrow a match to one kind inside the index itself.
    return f"k{kind} " + tokens_for_index(*texts)


def index(kind: str, object_id: int, *texts: str) -> None:
    SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"tokens": _document_tokens(kind, texts)}
    )


def bulk_index(kind: str, rows) -> None:
    """Index many new objects at once (imports, scale data)."""
    SearchDocument.objects.bulk_create(
        [SearchDocument(kind=kind, object_id=oid, tokens=_document_tokens(kind, texts)) for oid, texts in rows],
        batch_size=2000,
    )


def rebuild(kind: str) -> int:
    SearchDocument.objects.filter(kind=kind).delete()
    batch, total = [], 0
    for row in _SOURCES[kind]():
        batch.append(row)
        if len(batch) == 5000:
            bulk_index(kind, batch)
            total, batch = total + len(batch), []
    bulk_index(kind, batch)
    return total + len(batch)


def kinds() -> list[str]:
    return sorted(_SOURCES)


def remove(kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def _matching_sql(kind: str, terms: list[str], limit: int) -> tuple[str, list]:
    """Rank at most CANDIDATES matches: an unselective query (科技 matches a fifth of all enterprises)
    then costs the same at 100,000 rows as at 10,000, and the ranking among so many near-equal matches
    would say little anyway; a more specific query narrows the set and is ranked in full."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(_pg_quote(t) for t in terms)
        sql = (
            "SELECT object_id FROM (SELECT object_id, tsv FROM core_searchdocument WHERE kind = %s "
            "AND tsv @@ to_tsquery('simple', %s) LIMIT %s) candidates "
            "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC, object_id LIMIT %s"
        )
        return sql, [kind, tsquery, CANDIDATES, tsquery, limit]
    match = " AND ".join(['"k' + kind + '"'] + ['"' + t.replace('"', '""') + '"' for t in terms])
    sql = (
        "SELECT d.object_id FROM (SELECT rowid AS id, bm25(core_search_fts) AS score FROM core_search_fts "
        "WHERE core_search_fts MATCH %s LIMIT %s) c JOIN core_searchdocument d ON d.id = c.id "
        "WHERE d.kind = %s ORDER BY c.score, d.object_id LIMIT %s"
    )
    return sql, [match, CANDIDATES, kind, limit]


def _pg_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def ranked_ids(kind: str, query: str, limit: int = 500) -> list[int]:
    """Ids of the best ``limit`` matches, best first."""
    terms = query_terms(query)
    if not terms:
        return []
    sql, params = _matching_sql(kind, terms, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def filter_ranked(queryset, kind: str, query: str, limit: int = 500):
    """The queryset narrowed to the best ``limit`` matches (a search is capped, like any search engine),
    annotated with ``search_rank`` (0 = best) and ordered by it."""
    ids = ranked_ids(kind, query, limit)
    if not ids:
        return queryset.none()
    # One CASE over the primary key (not one Django When per id, which costs more to build than to run).
    column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{connection.ops.quote_name(queryset.model._meta.pk.column)}"
    rank = RawSQL(  # noqa: S611 - only quoted identifiers are interpolated; ids are parameters
        f"CASE {column} " + " ".join("WHEN %s THEN %s" for _ in ids) + " END",
        [v for i, pk in enumerate(ids) for v in (pk, i)], output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ids).annotate(search_rank=rank).order_by("search_rank")
