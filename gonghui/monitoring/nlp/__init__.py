"""The monitoring text engine: pure Python, no Django. Classification, schemes, dedup, redaction.

Public interface (used by the monitoring app, the API and `manage.py monitoring_classify`):

    classify(text, *, rules=None) -> Classification
    classify_many(texts, *, rules=None) -> list[Classification]
    Classification(categories, sentiment, severity, terms).as_dict()
"""
