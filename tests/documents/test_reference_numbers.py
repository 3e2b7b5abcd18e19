import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from documents.models import Paper
from documents.services import paper_create
from tests.gremien.factories import BodyFactory

DAY = datetime.date(2026, 3, 12)


def create(body, **kwargs):
    return paper_create(
        actor=None, body=body, name="Haushaltssatzung", date=DAY, **kwargs
    )


@pytest.mark.django_db
def test_numbers_run_per_body_and_restart_each_year():
    kreis, stadt = BodyFactory(), BodyFactory(paper_reference_prefix="DS")

    refs = [create(kreis).reference, create(kreis).reference, create(stadt).reference]
    next_year = paper_create(
        actor=None, body=kreis, name="Nachtrag", date=datetime.date(2027, 1, 5)
    )

    assert refs == ["VO/2026/0001", "VO/2026/0002", "DS/2026/0001"]
    assert next_year.reference == "VO/2027/0001"


@pytest.mark.django_db
def test_imported_reference_is_kept_and_numbering_continues_after_it():
    body = BodyFactory()

    imported = create(body, reference="VO/2026/0117")
    following = create(body)

    assert imported.reference == "VO/2026/0117"
    assert following.reference == "VO/2026/0118"


@pytest.mark.django_db
def test_duplicate_reference_is_refused_with_a_german_message():
    body = BodyFactory()
    create(body, reference="VO/2026/0005")

    with pytest.raises(ValidationError) as exc:
        create(body, reference="VO/2026/0005")

    assert exc.value.message_dict["reference"] == [
        "Diese Vorlagennummer ist bereits vergeben."
    ]
    assert Paper.objects.filter(reference="VO/2026/0005").count() == 1


@pytest.mark.django_db
def test_malformed_reference_is_refused():
    with pytest.raises(ValidationError) as exc:
        create(BodyFactory(), reference="2026-17")

    assert "VO/2026/0123" in exc.value.message_dict["reference"][0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_hands_out_a_number_twice():
    """Writers in parallel threads, each on its own database connection."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    body = BodyFactory()
    threads, per_thread = 6, 15
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                create(body)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    numbers = sorted(
        Paper.objects.filter(body=body).values_list("reference_number", flat=True)
    )
    assert numbers == list(range(1, threads * per_thread + 1))
