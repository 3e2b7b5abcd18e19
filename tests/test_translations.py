"""The German UI and its English translation are complete and current."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = [
    "config",
    "gremien",
    "accounts",
    "documents",
    "sessions",
    "publicportal",
    "reader",
    "motions",
    "notifications",
    "members",
    "demo",
    "templates",
]
LANGUAGES = ["de", "en"]


def catalogue(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(po_file: Path) -> set[str]:
    """The msgids of a catalogue, joined across continuation lines."""
    ids: set[str] = set()
    current: list[str] | None = None
    for line in po_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        else:
            if current is not None:
                text = "".join(part.strip()[1:-1] for part in current)
                if text:
                    ids.add(text)
            current = None
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(catalogue(language)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


def test_catalogue_contains_every_string_of_the_code(tmp_path):
    """A string added to the code without a translation fails here."""
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name,
                tmp_path / name,
                ignore=shutil.ignore_patterns("migrations"),
            )
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env=env,
    )
    fresh = msgids(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po")

    missing = fresh - msgids(catalogue("de"))
    assert missing == set(), (
        f"untranslated strings, run `make messages`: {sorted(missing)}"
    )
