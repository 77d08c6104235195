"""The API's shared pieces: authentication, one error schema, keyset pagination."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from gonghui.core.pagination import keyset_page


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SessionAuth(NinjaSessionAuth):
    """The web's own session (CSRF-checked for writes)."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gh_…`` — a partner system's scoped, expiring token."""

    resolver = None  # set by the project so core does not import accounts

    def authenticate(self, request, token):
        principal = TokenAuth.resolver(token) if TokenAuth.resolver else None
        if principal is not None:
            request.principal = principal
        return principal


def principal_of(request):
    """Who is calling: the API token, or the signed-in user."""
    return getattr(request, "principal", None) or request.user


def _error(api, request, status, code, message, errors=None):
    return api.create_response(
        request, {"code": code, "message": str(message), "errors": errors or []}, status=status
    )


def install_error_handlers(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        errors = []
        for item in exc.errors:
            loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "payload")]
            errors.append({"field": ".".join(loc) or "__all__", "message": item.get("msg", "")})
        return _error(api, request, 422, "invalid", _("Some fields are not valid."), errors)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        errors = []
        if hasattr(exc, "error_dict"):
            for field, items in exc.message_dict.items():
                errors.extend({"field": field, "message": m} for m in items)
        else:
            errors = [{"field": "__all__", "message": m} for m in exc.messages]
        return _error(api, request, 422, "invalid", _("Some fields are not valid."), errors)

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def on_403(request, exc):
        return _error(api, request, 403, "forbidden", _("You do not have the permission for this."))

    @api.exception_handler(AuthenticationError)
    def on_401(request, exc):
        return _error(api, request, 401, "unauthenticated", _("Sign in or send a valid API token."))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        return _error(api, request, exc.status_code, "error", str(exc))


def require_perm(request, perm: str) -> None:
    principal = principal_of(request)
    if not principal.has_gonghui_perm(perm):
        raise PermissionDenied


class KeysetPage(Schema):
    next_cursor: str | None = None
    count: int
    count_capped: bool


def paginate(queryset, *, sort: str, cursor: str | None, limit: int):
    limit = max(1, min(limit, 200))
    page = keyset_page(queryset, sort=sort, cursor=cursor, size=limit)
    return {"items": page.items, "next_cursor": page.next_cursor, "count": page.count, "count_capped": page.count_capped}


__all__ = ["ERRORS", "APIKeyHeader", "ErrorOut", "KeysetPage", "SessionAuth", "TokenAuth", "paginate"]
