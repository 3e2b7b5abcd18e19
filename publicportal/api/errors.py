"""The OParl error object and the JSON answers of the API.

Every answer of the API, errors included, is UTF-8 JSON without escaped
non-ASCII characters and may be read from any origin (CORS), as OParl 1.1
requires. An :class:`ApiError` raised anywhere in a view becomes an error
object with its status; bad input never becomes a server error.
"""

import json

from django.http import HttpResponse

ERROR_TYPE = "https://schema.oparl.org/1.1/Error"
JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """An answer other than 200: ``message`` is for people (German),
    ``debug`` for developers (English, technical)."""

    def __init__(self, status: int, message: str, debug: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.debug = debug

    def response(self) -> HttpResponse:
        data = {"type": ERROR_TYPE, "message": self.message}
        if self.debug:
            data["debug"] = self.debug
        return json_response(data, status=self.status)


def json_response(data: dict, status: int = 200) -> HttpResponse:
    content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(content.encode(), status=status, content_type=JSON_TYPE)
