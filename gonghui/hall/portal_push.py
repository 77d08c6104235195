"""Ratings (好差评) pushed to the city's government one-stop portal through a pluggable adapter.
The default writes JSON lines to a file; a city plugs in its portal's client by dotted path."""

import json
import sys

from django.conf import settings
from django.utils.module_loading import import_string


def payload(rating) -> dict:
    request = rating.request
    return {
        "reference": request.reference,
        "service_code": request.service_type.code,
        "service_name": request.service_type.name,
        "organization": request.handling_organization.name,
        "score": rating.score,
        "comment": rating.comment,
        "real_name": rating.real_name,
        "rated_at": rating.created_at.isoformat(),
        "closed_on_time": request.closed_on_time,
    }


class FileRatingPush:
    def push(self, data: dict) -> None:
        path = settings.RATING_PUSH_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False) + "\n")


class ConsoleRatingPush:
    def push(self, data: dict) -> None:
        sys.stdout.write("[rating push] " + json.dumps(data, ensure_ascii=False) + "\n")


def backend():
    return import_string(settings.RATING_PUSH_BACKEND)()
