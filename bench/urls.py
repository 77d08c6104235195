"""The project's URLs plus one bare Django view: the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from gonghui.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
