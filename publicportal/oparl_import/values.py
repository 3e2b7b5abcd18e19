"""Reading values out of foreign OParl JSON, tolerant of vendor quirks.

Real endpoints send ``"N/A"`` or ``""`` for unknown texts, dates with or
without a time, datetimes without an offset, 7-digit municipality keys,
objects without ``type`` and 1.0 type URLs. Every reader here returns a
value of the type our model field stores, or its empty value.
"""

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.dateparse import parse_date, parse_datetime

from gremien.rules import LOCAL_TIME

#: Texts that stand for "no value" at some vendors (compared case-insensitively).
EMPTY_TEXTS = {"", "n/a", "n. a.", "null", "none", "(kein text vorhanden)"}
_TYPE = re.compile(r"/(?P<version>\d+\.\d+)/(?P<name>[A-Za-z]+)/?$")
_SPACE = re.compile(r"\s+")


def is_empty_text(value) -> bool:
    return not isinstance(value, str) or value.strip().lower() in EMPTY_TEXTS


def text(data: dict, key: str, max_length: int | None = None) -> str:
    """A text property, stripped; ``""`` for missing, ``N/A`` and non-strings."""
    value = data.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if is_empty_text(value):
        return ""
    value = value.strip().replace("\u00a0", " ")
    return truncate(value, max_length)


def line(data: dict, key: str, max_length: int | None = None) -> str:
    """A one-line text: inner line breaks and runs of spaces folded."""
    return truncate(_SPACE.sub(" ", text(data, key)).strip(), max_length)


def truncate(value: str, max_length: int | None) -> str:
    if max_length is None or len(value) <= max_length:
        return value
    return value[: max_length - 1].rstrip() + "…"


def texts(data: dict, key: str, max_length: int | None = None) -> list[str]:
    """A list of texts (a single string counts as a list of one)."""
    value = data.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [
        truncate(item.strip(), max_length) for item in value if not is_empty_text(item)
    ]


def boolean(data: dict, key: str, default: bool) -> bool:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    return default


def integer(data: dict, key: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def datetime_value(data: dict, key: str) -> dt.datetime | None:
    """An aware datetime; a value without offset is read as German local time,
    a bare date as its midnight."""
    value = data.get(key)
    if is_empty_text(value):
        return None
    value = value.strip()
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        day = _date(value)
        if day is None:
            return None
        parsed = dt.datetime.combine(day, dt.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TIME)
    return parsed


def _date(value: str) -> dt.date | None:
    try:
        return parse_date(value[:10])
    except ValueError:
        return None


def date_value(data: dict, key: str) -> dt.date | None:
    """A date; a datetime counts with its local date."""
    value = data.get(key)
    if is_empty_text(value):
        return None
    value = value.strip()
    if len(value) > 10:
        moment = datetime_value(data, key)
        return moment.astimezone(LOCAL_TIME).date() if moment else None
    return _date(value)


def ref(data: dict, key: str) -> str | None:
    """The id a property refers to: a URL, or the id of an embedded object."""
    value = data.get(key)
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, list):
        value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def refs(data: dict, key: str) -> list[str]:
    """The ids a list property refers to, in order, without repetitions."""
    value = data.get(key)
    if not isinstance(value, list):
        value = [value] if value else []
    ids: list[str] = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("id")
        if isinstance(item, str) and item.strip() and item.strip() not in ids:
            ids.append(item.strip())
    return ids


def oparl_type(value) -> str | None:
    """``https://schema.oparl.org/1.0/Meeting`` → ``Meeting`` (1.0 and 1.1)."""
    if not isinstance(value, str):
        return None
    match = _TYPE.search(value.strip())
    return match["name"] if match else None


def oparl_version(value) -> str:
    """``https://schema.oparl.org/1.1/Body`` or ``…/1.1/`` → ``1.1``."""
    if not isinstance(value, str):
        return ""
    match = re.search(r"/(\d+\.\d+)(/|$)", value.strip())
    return match[1] if match else ""


def digits_key(value, length: int) -> str:
    """An official key (AGS: 8 digits, RGS: 12): a key one digit short lost
    its leading zero to a number conversion (``5358016`` → ``05358016``);
    anything else that is not exactly ``length`` digits is dropped."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not value.isdigit():
        return ""
    if len(value) == length - 1:
        value = "0" + value
    return value if len(value) == length else ""


def url_value(data: dict, key: str, max_length: int = 1000) -> str:
    value = text(data, key)
    if not value.lower().startswith(("http://", "https://")) or len(value) > max_length:
        return ""
    return value


def email_value(data: dict, key: str) -> str:
    value = text(data, key)
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else ""


def unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))
