"""Fixtures of the importer's tests: local OParl endpoints and the command."""

import io

import pytest
from django.core.management import call_command

from .server import serve_site
from .world import build_site


def oparl_import(*args: str, retries: int = 0) -> str:
    """Run ``manage.py oparl_import`` as an operator would; its output.
    Retries come without waiting (``--backoff 0``)."""
    out = io.StringIO()
    options = ["--no-progress", "--retries", str(retries), "--backoff", "0"]
    call_command("oparl_import", *args, *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def endpoint(site):
    with serve_site(site) as server:
        yield server
