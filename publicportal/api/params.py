"""The parameters of an OParl list: page, limit, the four date filters and
``omit_internal``. What cannot be read is a 400 with a German message; it is
never guessed."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .errors import ApiError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
#: An offset whose "+" arrived as a space (a client that did not encode it).
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class ListParams:
    page: int = 1
    limit: int = DEFAULT_LIMIT
    #: Date filters as given (for the links) and as read (for the query).
    given: dict[str, str] = field(default_factory=dict)
    dates: dict[str, dt.datetime] = field(default_factory=dict)
    limit_given: bool = False
    omit_internal: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def query(self, page: int) -> dict[str, str]:
        """The query string of ``page`` of the same list: every filter,
        ``limit`` and ``omit_internal`` carried over."""
        query = dict(self.given)
        if self.limit_given:
            query["limit"] = str(self.limit)
        if self.omit_internal:
            query["omit_internal"] = "true"
        query["page"] = str(page)
        return query


def read_params(query: QueryDict) -> ListParams:
    given = {name: _spaced(query[name]) for name in DATE_FILTERS if query.get(name)}
    return ListParams(
        page=_whole_number(query, "page", 1),
        limit=min(_whole_number(query, "limit", DEFAULT_LIMIT), MAX_LIMIT),
        given=given,
        dates={name: _moment(name, value) for name, value in given.items()},
        limit_given="limit" in query,
        omit_internal="omit_internal" in query,
    )


def _whole_number(query: QueryDict, name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise ApiError(
            400,
            _("The parameter %(name)s must be a whole number of at least 1.")
            % {"name": name},
            f"{name}={value!r}",
        )
    return int(value)


def _spaced(value: str) -> str:
    return _SPACED_OFFSET.sub(r"+\1", value.strip())


def _moment(name: str, value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiError(
            400,
            _(
                "The parameter %(name)s must be a date and time with a time zone "
                "offset (ISO 8601), e.g. 2026-03-12T18:00:00+01:00."
            )
            % {"name": name},
            f"{name}={value!r}",
        )
    return moment
