"""Importing a hand-made OParl 1.1 endpoint: mapping, quirks, incremental
runs with tombstones, interruption and resume, file contents, dry run."""

import datetime as dt
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from documents.models import File, Paper, ReferenceCounter
from gremien.models import Body, Membership, Organization, Person
from publicportal import visibility
from publicportal.oparl_import.models import ImportRecord, ImportRun
from sessions.models import AgendaItem, Consultation, Meeting

from .conftest import oparl_import
from .server import Server, serve_site
from .snapshots import content, counts, stamps
from .world import V11, build_site


def imported_body(server) -> Body:
    return Body.objects.get(external_id=server.url + "body/1")


def obj(model, server, path):
    return model.objects.get(external_id=server.url + path)


def test_a_1_1_body_is_imported_with_its_quirks(db, endpoint):
    output = oparl_import(endpoint.url + "system")
    body = imported_body(endpoint)
    # "N/A" is no name: the short name stands in; 7-digit AGS padded.
    assert (body.name, body.slug, body.ags) == (
        "Musterstadt",
        "musterstadt",
        "01234567",
    )
    assert body.classification == Body.Classification.CITY
    assert body.website == ""
    assert body.location.street_address == "Markt 1"  # embedded without type
    assert counts(body) == {
        "Location": 1,
        "LegislativeTerm": 1,
        "Organization": 3,
        "Person": 3,
        "Membership": 5,
        "Meeting": 3,
        "AgendaItem": 3,
        "Paper": 3,
        "Consultation": 2,
        "File": 6,
    }
    committee = obj(Organization, endpoint, "organization/2")
    assert (committee.name, committee.kind) == ("Bauausschuss", "committee")
    assert obj(Organization, endpoint, "organization/1").kind == "council"
    assert obj(Organization, endpoint, "organization/3").kind == "fraction"

    erika = obj(Person, endpoint, "person/2")
    assert (erika.given_name, erika.family_name, erika.title) == (
        "Erika",
        "von Mustermann",
        ["Dr."],
    )
    anna = obj(Person, endpoint, "person/1")
    assert visibility.public_person_fields(anna)["email"] == ["anna.alt@example.org"]
    kinds = dict(
        Membership.objects.filter(person__body=body).values_list("external_id", "kind")
    )
    assert [kinds[endpoint.url + f"membership/{n}"] for n in range(1, 6)] == [
        "member",  # Vorsitzende
        "member",
        "citizen_member",  # Sachkundige Bürgerin
        "deputy",  # Stellvertretendes Mitglied
        "member",  # stellv. Vorsitzender: a deputy chair is a member
    ]
    assert obj(Person, endpoint, "person/3").location is None
    assert "dangling|Person.location" in ImportRun.objects.get().summary["reasons"]

    held = obj(Meeting, endpoint, "meeting/1")
    assert (held.name, held.state, held.slug) == (
        "Rat der Stadt",  # "N/A": the organization's name
        Meeting.State.PUBLISHED,
        "2021-03-10-rat-der-stadt",
    )
    assert set(held.participants.values_list("family_name", flat=True)) == {
        "Alt",
        "Bau",
    }
    ahead = obj(Meeting, endpoint, "meeting/2")
    assert ahead.state == Meeting.State.INVITED  # meetingState "eingeladen"
    cancelled = obj(Meeting, endpoint, "meeting/3")
    assert cancelled.state == Meeting.State.CANCELLED
    assert cancelled.invitation_sent_at is not None

    first, second = held.agenda_items.order_by("order")
    assert (first.result, first.result_text) == (AgendaItem.Result.ACCEPTED, "")
    assert first.resolution_text == (
        "<p>Der Rat beschließt den Radweg.</p><p>Er wird 2022 gebaut.</p>"
    )
    assert (second.order, second.result, second.result_text) == (
        2,  # no order at the source: its position in the meeting
        "",
        "einstimmig, 0 Enthaltungen",
    )

    radweg = obj(Paper, endpoint, "paper/1")
    assert (radweg.reference, radweg.reference_year, radweg.reference_number) == (
        "VO/2021/0007",
        2021,
        7,
    )
    assert radweg.state == Paper.State.DECIDED
    decision = radweg.consultations.get()
    assert (decision.role, decision.authoritative, decision.agenda_item) == (
        Consultation.Role.DECIDING,
        True,
        first,
    )
    table_paper = obj(Paper, endpoint, "paper/2")
    assert (table_paper.paper_type, table_paper.keywords) == (
        "Beschlussvorlage",
        ["Tischvorlage"],
    )
    assert table_paper.reference == "VO/2021/0008"  # none at the source
    assert list(table_paper.related_papers.all()) == [radweg]
    budget = obj(Paper, endpoint, "paper/3")
    assert (budget.paper_type, budget.keywords, budget.state) == (
        "Mitteilung",
        [],
        Paper.State.IN_CONSULTATION,
    )
    assert ReferenceCounter.objects.get(body=body, year=2021).last_number == 8

    roles = dict(File.objects.filter(body=body).values_list("external_id", "role"))
    assert roles == {
        endpoint.url + "file/1": "invitation",
        endpoint.url + "file/2": "results_protocol",
        endpoint.url + "file/3": "main",
        endpoint.url + "file/4": "attachment",
        endpoint.url + "file/5": "attachment",  # only in the 1.1 file list
        endpoint.url + "file/6": "resolution",
    }
    assert obj(File, endpoint, "file/5").paper == radweg
    note = obj(File, endpoint, "file/4")
    assert note.source_url == endpoint.url + "content/file/4"
    assert not note.content

    # Everything that was public at the source is public here.
    assert visibility.public_meetings(body).count() == 3
    assert visibility.public_papers(body).count() == 3
    assert visibility.public_agenda_items().filter(meeting__body=body).count() == 3
    assert visibility.public_files(body).count() == 6
    assert "Musterstadt" in output


def _touch(site, path: str, **changes) -> None:
    site.objects[path].update(changes, modified=timezone.now().isoformat())


def test_a_later_run_reads_only_changes_and_applies_deletions(db, site, endpoint):
    oparl_import(endpoint.url + "system")
    body = imported_body(endpoint)
    before = stamps(body)
    first_run = ImportRun.objects.get()
    endpoint.requests.clear()

    _touch(site, "paper/1", name="Radweg an der Hauptstraße (geändert)")
    _touch(site, "meeting/3", deleted=True)
    item = site.objects["agendaitem/2"]
    site.objects["meeting/1"]["agendaItem"].remove(item)
    _touch(site, "meeting/1")
    _touch(site, "agendaitem/2", deleted=True)
    site.objects["paper/99"] = {
        "id": "@paper/99",
        "type": V11 + "Paper",
        "created": "2024-01-01T00:00:00+01:00",
        "modified": timezone.now().isoformat(),
        "deleted": True,
    }
    site.lists["body/1/paper"].append("paper/99")

    output = oparl_import(endpoint.url + "system")

    lists = [p for p in endpoint.requests if p.startswith("/body/1/")]
    since = {parse_qs(urlsplit(p).query).get("modified_since", [""])[0] for p in lists}
    assert len(since) == 1
    watermark = dt.datetime.fromisoformat(since.pop())
    assert watermark == first_run.started_at - dt.timedelta(minutes=10)

    summary = ImportRun.objects.latest("started_at").summary
    assert summary["types"]["Paper"] == {
        "new": 0,
        "updated": 1,
        "unchanged": 0,
        "deleted": 0,
        "skipped": 1,
    }
    assert summary["types"]["Meeting"]["deleted"] == 1
    assert summary["types"]["AgendaItem"]["deleted"] == 1
    assert summary["reasons"]["tombstone_unknown|Paper"] == 1
    assert "Person" not in summary["types"]  # not changed, not read

    assert obj(Paper, endpoint, "paper/1").name.endswith("(geändert)")
    cancelled = obj(Meeting, endpoint, "meeting/3")
    assert cancelled.deleted
    assert visibility.public_tombstones(Meeting, body).filter(pk=cancelled.pk).exists()
    assert obj(AgendaItem, endpoint, "agendaitem/2").deleted
    assert visibility.public_agenda_items().filter(meeting__body=body).count() == 2
    after = stamps(body)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {
        ("Paper", endpoint.url + "paper/1"),
        ("Meeting", endpoint.url + "meeting/3"),
        ("AgendaItem", endpoint.url + "agendaitem/2"),
    }
    assert "1" in output


class Flaky:
    """Serves ``site`` but fails every list page after ``fail_after`` of them
    (503, as an overloaded server); records the pages it served."""

    def __init__(self, site, fail_after: int | None):
        self.site = site
        self.fail_after = fail_after
        self.served: list[str] = []

    def __call__(self, path: str):
        is_page = path.startswith("/body/1/")
        if (
            is_page
            and self.fail_after is not None
            and len(self.served) >= self.fail_after
        ):
            return 503, "application/json", b'{"message": "busy"}'
        if is_page:
            self.served.append(path)
        return self.site(path)


def test_an_interrupted_run_continues_where_it_stopped(db, site):
    flaky = Flaky(site, fail_after=5)
    server = Server(flaky)
    site.base = server.url
    with server:
        with pytest.raises(CommandError) as stopped:
            oparl_import(server.url + "system")
        assert "503" in str(stopped.value)
        assert ImportRun.objects.get().status == ImportRun.Status.RUNNING
        read_before = list(flaky.served)
        assert len(read_before) == 5
        assert ImportRecord.objects.exists()  # the pages read so far are kept

        flaky.fail_after = None
        flaky.served.clear()
        oparl_import(server.url + "system")
        assert not set(read_before) & set(flaky.served)
        run = ImportRun.objects.get()
        assert run.status == ImportRun.Status.COMPLETED
        assert not ImportRecord.objects.exists()

        resumed = imported_body(server)
        clean = Body.objects.create(name="Vergleich", slug="vergleich")
        oparl_import(server.url + "system", "--into", "vergleich")
    assert counts(resumed)["File"] == 6
    assert content(resumed) == content(clean)


def test_passing_server_errors_are_retried(db, site):
    failures = {"/body/1/paper": 2, "/body/1/meeting": 1}

    def respond(path: str):
        if failures.get(path):
            failures[path] -= 1
            status = 429 if path.endswith("meeting") else 502
            return status, "application/json", b"{}"
        return site(path)

    server = Server(respond)
    site.base = server.url
    with server:
        oparl_import(server.url + "system", retries=3)
    assert server.requests.count("/body/1/paper") == 3
    assert counts(imported_body(server))["Paper"] == 3


def test_a_restart_reads_everything_again(db, site):
    flaky = Flaky(site, fail_after=2)
    server = Server(flaky)
    site.base = server.url
    with server:
        with pytest.raises(CommandError):
            oparl_import(server.url + "system")
        flaky.fail_after = None
        flaky.served.clear()
        oparl_import(server.url + "system", "--restart")
    assert len(flaky.served) == 12  # every page of every list
    assert ImportRun.objects.count() == 1


def test_file_contents_are_downloaded_with_files(
    db, endpoint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        oparl_import(endpoint.url + "system", "--files")
    body = imported_body(endpoint)
    note = obj(File, endpoint, "file/4")
    raw = b"Hallo Welt aus der Notiz"
    assert note.content.read() == raw
    assert (note.size, note.sha256) == (len(raw), hashlib.sha256(raw).hexdigest())
    assert note.sha1 == hashlib.sha1(raw, usedforsecurity=False).hexdigest()
    assert note.content.name.startswith(f"files/{body.pk}/")
    note.refresh_from_db()
    assert note.text == "Hallo Welt aus der Notiz"  # extracted as for an upload
    assert "Radweg" in obj(File, endpoint, "file/3").text
    assert all(f.content for f in File.objects.filter(body=body))

    endpoint.requests.clear()
    oparl_import(endpoint.url + "system", "--files", "--full")
    assert not [p for p in endpoint.requests if p.startswith("/content/")]
    summary = ImportRun.objects.latest("started_at").summary["types"]["File"]
    assert summary["unchanged"] == 6


def test_a_file_larger_than_the_limit_stays_at_the_source(db, site, endpoint):
    site.files["content/file/4"] = ("text/plain", b"x" * (1_200_000))
    oparl_import(endpoint.url + "system", "--files", "--max-file-size", "1")
    note = obj(File, endpoint, "file/4")
    assert not note.content
    assert note.source_url == endpoint.url + "content/file/4"
    assert ImportRun.objects.get().summary["reasons"]["file_too_large"] == 1


def test_a_dry_run_saves_nothing(db, endpoint):
    output = oparl_import(endpoint.url + "system", "--dry-run")
    assert not Body.objects.exists()
    assert not ImportRun.objects.exists()
    assert "Musterstadt" in output


def test_a_body_url_is_accepted_and_into_imports_into_an_existing_body(db, endpoint):
    target = Body.objects.create(name="Stadt Musterstadt", slug="musterstadt-neu")
    oparl_import(endpoint.url + "body/1", "--into", "musterstadt-neu")
    target.refresh_from_db()
    assert target.name == "Stadt Musterstadt"  # the body's own data stays
    assert Body.objects.count() == 1
    assert counts(target)["Paper"] == 3


def answering(status: int, content_type: str, body: bytes):
    return Server(lambda path: (status, content_type, body))


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        ((404, "text/html", b"<h1>Not found</h1>"), "404"),
        ((200, "text/html", b"<html>Willkommen</html>"), "JSON"),
        ((200, "application/json", b'{"hello": "world"}'), "OParl"),
    ],
)
def test_bad_addresses_end_with_a_clear_message(db, answer, detail):
    with answering(*answer) as server:
        with pytest.raises(CommandError) as error:
            oparl_import(server.url + "oparl")
    assert server.url + "oparl" in str(error.value)
    assert detail in str(error.value)


def test_an_unreachable_address_ends_with_a_clear_message(db):
    with pytest.raises(CommandError) as error:
        oparl_import("http://127.0.0.1:9/oparl")
    assert "127.0.0.1:9/oparl" in str(error.value)


def test_a_system_with_several_bodies_asks_which(db, site, endpoint):
    site.objects["body/2"] = {
        **site.objects["body/1"],
        "id": "@body/2",
        "name": "Kreis",
    }
    site.lists["bodies"].append("body/2")
    with pytest.raises(CommandError) as error:
        oparl_import(endpoint.url + "system")
    assert endpoint.url + "body/2" in str(error.value)
    assert "--body" in str(error.value)
    oparl_import(endpoint.url + "system", "--body", endpoint.url + "body/1")
    assert imported_body(endpoint).name == "Musterstadt"


def test_an_unknown_target_body_is_refused(db, endpoint):
    with pytest.raises(CommandError) as error:
        oparl_import(endpoint.url + "system", "--into", "gibt-es-nicht")
    assert "gibt-es-nicht" in str(error.value)


def test_a_second_import_of_a_new_source_gets_a_body_of_its_own(db):
    first, second = build_site(), build_site()
    with serve_site(first) as one, serve_site(second) as two:
        oparl_import(one.url + "system")
        oparl_import(two.url + "system")
    assert sorted(Body.objects.values_list("slug", flat=True)) == [
        "musterstadt",
        "musterstadt-2",
    ]
