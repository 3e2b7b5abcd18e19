import io

import pytest
from django.core.management import call_command
from django.db import transaction

from demo.fingerprint import fingerprint


def seeded_fingerprint(seed: int) -> dict:
    """Seed inside a savepoint, take the fingerprint, roll everything back."""
    with transaction.atomic():
        call_command("seed_demo", scale="small", seed=seed, stdout=io.StringIO())
        result = fingerprint()
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_different_data():
    first, again, other = (seeded_fingerprint(seed) for seed in (1, 1, 2))

    assert first == again
    assert first["files"][0] > 500
    differing = {k for k in first if first[k][1] != other[k][1]}
    assert {"persons", "papers", "meetings", "files"} <= differing
