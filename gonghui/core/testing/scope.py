"""The inherited scope test: every URL pattern and every API operation must declare how it is scoped,
and each declared case is checked — the in-scope persona gets 200 (or the redirect a POST gives), the
out-of-scope persona gets 404 for objects and never sees the other side's rows in lists.

A new view without a case makes ``test_every_route_is_declared`` fail, so no view can skip the check."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class Case:
    """How to check one route. ``kwargs(world)`` builds the URL arguments."""

    route: str
    inside: str | None
    outside: str | None = None
    kwargs: Callable = field(default=lambda w: {})
    method: str = "get"
    data: Callable = field(default=lambda w: {})
    inside_status: tuple[int, ...] = (200,)
    must_not_contain: Callable | None = None  # for lists: text of an out-of-scope record
    query: str = ""
    public: bool = False  # readable without signing in (the catalogue, a service's page)


@dataclass
class Exempt:
    route: str
    reason: str


def walk_routes(resolver=None, namespace="") -> list[str]:
    """Every named route as ``namespace:name``, skipping the Django admin and the API (checked apart)."""
    resolver = resolver or get_resolver()
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in ("admin", "api") or (entry.app_name or "") in ("admin", "api"):
                continue
            names.extend(walk_routes(entry, f"{namespace}{ns}:" if ns else namespace))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return sorted(set(names))


def api_operations(api) -> list[str]:
    """Every API operation as ``METHOD path`` from the generated OpenAPI schema."""
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.append(f"{method.upper()} {path}")
    return sorted(ops)
