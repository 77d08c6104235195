"""The monitoring text engine: pure Python, no Django. Classification, schemes, dedup, redaction.

Public interface (used by the monitoring app, the API and `manage.py monitoring_classify`):

    classify(text, *, rules=None) -> Classification      classify_many(texts, *, rules=None)
    Classification(categories, sentiment, severity, terms).as_dict()
    SeverityRules / default_rules()                       configurable severity thresholds and words
    normalize(text, *, max_length=5000) -> str            redact(text) -> str
    compile_scheme(spec) -> CompiledScheme (.match(text) -> SchemeMatch | None, .warnings()); SchemeError
    EnterpriseMatcher(entries).find(text) -> [ids]        short_names(name)
    fingerprint(text), similarity(a, b), DedupIndex(threshold=0.8).add(key, text) / .query(text)
    sentiment_label(score) -> "positive" | "neutral" | "negative"

How classification works (``classifier.py``, lexicons in ``lexicon.py`` and ``sentiment_lexicon.py``):

- One Aho-Corasick pass (pyahocorasick) finds every lexicon entry: category terms, object/predicate pairs
  (社保 + 没交), context cues, sentiment words, negators and degree adverbs.
- A category term counts unless its clause denies it (公司从未拖欠工资), its sentence frames it as
  hypothetical, preventive or normative (如果…, 防止…, …的话, …的，应当), a later rebuttal in the sentence
  refutes it without another party speaking (…经核实不属实), a covering phrase gives the words another sense
  (加班车, 合同能源管理), or the whole text is fiction, an advertisement or sports. Allegations, reports and
  claims count (原告称被告拖欠工资; 员工称被欠薪，公司回应称已发放).
- The final decision is learned (``model.py``, weights in ``model_weights.npz`` written by ``train.py``, loaded
  lazily): per category a logistic regression over hashed character 1–3-grams and the rules' view of the text
  (``rule_vector``: the categories the rules found and vetoed, and which kinds of cue occur — denial,
  hypothesis, question, rumour, threat, formal wording). It keeps or drops a rule category and adds ones the
  lexicon does not name, at a per-category threshold chosen by leave-one-set-out cross-validation; a category
  the rules vetoed in the text (a denied, hypothetical or other-sense mention, or a kind of text that blocks it)
  is never added. ``terms`` lists the rule terms of the categories kept. Without the weights file the rules
  decide alone.
- Sentiment: lexicon weights with negation, degree adverbs, contrast (但是), exclamation and question marks,
  dampened in hypothetical sentences and formal legal wording; a raised risk adds one negative unit.
  Scores are squashed into [-1, 1]; ``sentiment_label`` cuts at ±0.3.
- Severity: ``SeverityRules`` (JSON-serialisable) — people counted in the text (数十名, 200多名, 上百),
  collective action, owner fled, violence, deaths, self-harm and threats to life, with denied harm ignored
  (未造成人员伤亡).

Quality and speed are measured by ``bench/monitoring.py`` on the labelled sets in ``monitoring/evaluation``.
"""

from .classifier import (
    CATEGORIES,
    SEVERITIES,
    Classification,
    SeverityRules,
    classify,
    classify_many,
    default_rules,
    parse_people,
    sentiment,
    sentiment_label,
)
from .dedup import DedupIndex, fingerprint, fingerprint_bytes, from_bytes, similarity, to_bytes
from .enterprises import EnterpriseMatcher, short_names
from .schemes import MESSAGES as SCHEME_MESSAGES
from .schemes import CompiledScheme, Message, SchemeError, SchemeMatch, compile_scheme
from .text import normalize, redact

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "Classification",
    "CompiledScheme",
    "DedupIndex",
    "EnterpriseMatcher",
    "Message",
    "SCHEME_MESSAGES",
    "SchemeError",
    "SchemeMatch",
    "SeverityRules",
    "classify",
    "classify_many",
    "compile_scheme",
    "default_rules",
    "fingerprint",
    "fingerprint_bytes",
    "from_bytes",
    "normalize",
    "parse_people",
    "redact",
    "sentiment",
    "sentiment_label",
    "short_names",
    "similarity",
    "to_bytes",
]
