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
        response["X-Request-ID"] = request_id
        return response
