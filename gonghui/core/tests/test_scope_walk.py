"""Every route and API operation is declared and proves: in scope 200, out of scope 404."""

import json

import pytest
from django.urls import reverse

from gonghui.api import api
from gonghui.core.testing.scope import api_operations, walk_routes
from gonghui.core.tests.scope_cases import API, WEB, WEB_EXEMPT


def test_every_route_is_declared():
    declared = {c.route for c in WEB} | {e.route for e in WEB_EXEMPT}
    missing = [name for name in walk_routes() if name not in declared]
    assert not missing, f"routes without a scope case (add one to core/tests/scope_cases.py): {missing}"


def test_every_api_operation_is_declared():
    declared = {c.route for c in API}
    missing = [op for op in api_operations(api) if op not in declared]
    assert not missing, f"API operations without a scope case: {missing}"


def _call(client, case, url, data):
    if case.method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, case.method)(url, data=json.dumps(data), content_type="application/json",
                                            HTTP_IDEMPOTENCY_KEY="scope-walk-key-1")
    return client.post(url, data)


@pytest.mark.parametrize("case", WEB, ids=lambda c: f"{c.route}:{c.inside}")
def test_web_route_scope(world, case):
    kwargs = case.kwargs(world)
    url = reverse(case.route, kwargs=kwargs) + case.query
    data = case.data(world)
    if case.outside:
        response = _call(world.client(case.outside), case, url, data)
        assert response.status_code == 404, f"{case.outside} reached {url}: {response.status_code}"
    response = _call(world.client(case.inside), case, url, data)
    assert response.status_code in case.inside_status, f"{case.inside} got {response.status_code} at {url}"
    if case.must_not_contain:
        assert case.must_not_contain(world) not in response.content.decode()


def _api_url(case, world):
    method, path = case.route.split(" ", 1)
    return path.format(**case.kwargs(world)) + (case.query(world) if callable(case.query) else case.query)


@pytest.mark.parametrize("case", API, ids=lambda c: f"{c.route}:{c.inside}")
def test_api_operation_scope(world, case):
    url = _api_url(case, world)
    case.method = case.route.split(" ", 1)[0].lower()
    data = case.data(world)
    if case.outside:
        response = _call(world.client(case.outside), case, url, data)
        assert response.status_code == 404, f"{case.outside} reached {url}: {response.status_code}"
        assert response.json()["code"] == "not_found"
    response = _call(world.client(case.inside), case, url, data)
    assert response.status_code in case.inside_status, f"{case.inside}: {response.status_code} {response.content[:300]}"
    if case.must_not_contain:
        assert case.must_not_contain(world) not in response.content.decode()


def test_anonymous_is_sent_to_sign_in_from_every_staff_page(world):
    for case in WEB:
        if case.inside is None or case.public or case.route.startswith("portal:") or case.method != "get":
            continue
        url = reverse(case.route, kwargs=case.kwargs(world))
        response = world.client(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_member_without_role_is_refused_staff_pages(world):
    response = world.client("alice").get(reverse("orgs:enterprise_list"))
    assert response.status_code == 403
