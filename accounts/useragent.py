"""A short, language-neutral description of a browser ("Safari · iPad") for
the list of recent sign-ins; the full header is not stored."""

import re

_SYSTEMS = [
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
]
# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
]


def describe(user_agent: str) -> str:
    browser = next((name for rx, name in _BROWSERS if rx.search(user_agent)), "")
    system = next((name for rx, name in _SYSTEMS if rx.search(user_agent)), "")
    return " · ".join(part for part in (browser, system) if part)
