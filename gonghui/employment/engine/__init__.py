"""The employment engine: pure Python (no Django) parsers, checks and ranking for 会聘.

The Django side (models, services, views, API) calls these; nothing here touches the database.
"""
