"""The root API at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs (served locally)."""

from ninja import NinjaAPI, Router, Schema

from gonghui.accounts.services import authenticate_token
from gonghui.core.api import ERRORS, SessionAuth, TokenAuth, install_error_handlers, principal_of
from gonghui.employment.api import router as employment_router
from gonghui.hall.api import router as hall_router
from gonghui.members.api import router as members_router
from gonghui.monitoring.api import router as monitoring_router
from gonghui.organizing.api import router as organizing_router
from gonghui.orgs.api import router as orgs_router

TokenAuth.resolver = staticmethod(authenticate_token)

api = NinjaAPI(
    title="Gonghui API",
    version="1.0.0",
    description=(
        "The API of Gonghui, the city trade-union platform. Partner systems authenticate with "
        "`Authorization: Bearer <token>` (a scoped, expiring token issued by a security administrator); "
        "the web uses its session. Every list is limited to the caller's organisation scope; records outside "
        "it answer 404. Errors share one schema: `{code, message, errors: [{field, message}]}`, in the "
        "language of `Accept-Language` (zh-hans by default, en on request). Lists use keyset pagination: "
        "pass `next_cursor` back as `cursor`."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)


class MeOut(Schema):
    kind: str
    name: str
    permissions: list[str]


me_router = Router(tags=["me"])


@me_router.get("/me", response={200: MeOut, **ERRORS}, summary="Who is calling")
def me(request):
    principal = principal_of(request)
    if hasattr(principal, "permissions") and hasattr(principal, "prefix"):
        return {"kind": "token", "name": principal.name, "permissions": list(principal.permissions)}
    from gonghui.accounts.roles import PERMISSIONS

    perms = [p for p in PERMISSIONS if principal.has_gonghui_perm(p)]
    return {"kind": "user", "name": str(principal), "permissions": perms}


api.add_router("", me_router)
api.add_router("", orgs_router)
api.add_router("", hall_router)
api.add_router("", members_router)
api.add_router("", organizing_router)
api.add_router("", monitoring_router)
api.add_router("", employment_router)
