import time

from django.conf import settings

from gonghui.core import context


class RequestContextMiddleware:
    """Gives each request an id and records the source address for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or context.new_request_id()
        request.request_id = request_id
        token = context.activate(context.RequestContext(request_id=request_id, ip=context.client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        _slide_session(request)
        response["X-Request-ID"] = request_id
        return response


def _slide_session(request) -> None:
    """Keep an active session alive (idle timeout) by touching it at most once a minute."""
    session = getattr(request, "session", None)
    if session is None or session.is_empty() or not getattr(request, "user", None) or not request.user.is_authenticated:
        return
    now = int(time.time())
    if now - session.get("_touched", 0) >= settings.SESSION_REFRESH_SECONDS:
        session["_touched"] = now
