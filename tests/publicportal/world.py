"""A small municipality with its portal, built through the services as the
Sitzungsdienst would: the shared fixture of the portal, search, feed and leak
tests.

``build_world(marker=...)`` puts ``marker`` into the name or text of every
non-public thing it creates (a non-public paper, its file, a non-public agenda
item and its resolution, a non-public meeting, a restricted file, private
contact data, a staff membership's person, a draft paper); public things never
carry it. A page or feed that shows the marker has leaked.
"""

import datetime as dt
import functools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from documents.services import file_attach, paper_create, paper_release
from gremien.models import Membership
from publicportal.setup import portal_create
from sessions.models import Consultation
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import (
    consultation_path_set,
    consultation_record_result,
)
from sessions.services.lifecycle import meeting_cancel, meeting_create
from sessions.services.minutes import (
    item_minutes_update,
    minutes_mark_drafted,
    minutes_open,
    minutes_publish,
    minutes_sign,
)
from tests.gremien.factories import (
    BodyFactory,
    LocationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    staff_of,
)
from tests.sessions.agenda_factories import hold, invite

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=BERLIN)


#: "Today" of the world: meetings in November/December 2026.
TODAY = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
DEFAULT_MARKER = "GEHEIM-7Q3X"


@functools.cache
def _pdf(text: str) -> bytes:
    return HTML(string=f"<html lang='de'><body><p>{text}</p></body></html>").write_pdf()


def pdf_upload(text: str, name: str = "anlage.pdf") -> SimpleUploadedFile:
    """A real one-page PDF whose extractable text is ``text``."""
    return SimpleUploadedFile(name, _pdf(text), content_type="application/pdf")


def _paper(body, name, *, public=True, facts=""):
    paper = paper_create(
        actor=None,
        body=body,
        name=name,
        date=dt.date(2026, 10, 20),
        public=public,
        facts=facts,
    )
    return paper


def ensure_wagtail_root() -> None:
    """A transactional test's flush also removes the page tree root and the
    locale Wagtail's migrations create; put them back."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


def build_world(
    clock,
    *,
    marker: str = DEFAULT_MARKER,
    slug: str = "neuhausen",
    more_twins: bool = False,
):
    """The Stadt Neuhausen with its portal on the default site ("testserver"
    and every unknown host), a council and a Bauausschuss, members, a
    fraction, papers with files, one meeting held with published minutes, one
    invited meeting ahead, one cancelled meeting and one non-public meeting.
    ``clock`` is a :class:`tests.sessions.agenda_factories.Clock`.

    ``more_twins=True`` (the leak suite) adds further non-public things carrying
    the marker, see :func:`add_more_twins`; the default world stays as it is."""
    ensure_wagtail_root()
    clock.set(TODAY)
    body = BodyFactory(name="Stadt Neuhausen", slug=slug)
    portal = portal_create(body=body, hostname=f"{slug}.localhost", is_default=True)
    hall = LocationFactory(
        body=body,
        description="Rathaus, Ratssaal",
        street_address="Marktplatz 1",
        postal_code="12345",
        locality="Neuhausen",
    )
    council = OrganizationFactory(body=body, name="Rat der Stadt", kind="council")
    bau = OrganizationFactory(body=body, name="Bauausschuss", kind="committee")
    fraction = OrganizationFactory(
        body=body, name="Fraktion Bürgerliste", kind="fraction"
    )
    department = OrganizationFactory(
        body=body, name="Fachbereich Bauen", kind="department"
    )

    chair = PersonFactory(
        body=body,
        given_name="Erika",
        family_name="Mustermann",
        email=["erika.mustermann@example.org"],
        email_public=True,
        phone=[f"0123 {marker}"],
        phone_public=False,
    )
    member = PersonFactory(
        body=body,
        given_name="Hans",
        family_name="Beispiel",
        email=[f"{marker.lower()}@example.org"],
        email_public=False,
    )
    former = PersonFactory(body=body, given_name="Gerda", family_name="Früher")
    clerk_person = PersonFactory(body=body, given_name="Sven", family_name=marker)
    MembershipFactory(person=chair, organization=council, role="Vorsitzende")
    MembershipFactory(person=member, organization=council, on_behalf_of=fraction)
    MembershipFactory(person=chair, organization=bau, role="Vorsitzende")
    MembershipFactory(person=member, organization=bau)
    MembershipFactory(
        person=member, organization=fraction, role="Fraktionsvorsitzender"
    )
    MembershipFactory(
        person=former,
        organization=council,
        start_date=dt.date(2020, 11, 1),
        end_date=dt.date(2025, 10, 31),
    )
    MembershipFactory(
        person=clerk_person, organization=department, kind=Membership.Kind.STAFF
    )
    clerk, chair_user = staff_of(body), staff_of(body)

    # Papers ---------------------------------------------------------------
    public_paper = _paper(
        body,
        "Bebauungsplan Nr. 12 Am Mühlenbach",
        facts="<p>Der Bebauungsplan ermöglicht Wohnungen am Mühlenbach.</p>",
    )
    consultation_path_set(
        actor=clerk,
        paper=public_paper,
        steps=[
            ([bau], Consultation.Role.PRELIMINARY),
            ([council], Consultation.Role.DECIDING),
        ],
    )
    file_attach(
        actor=None,
        owner=public_paper,
        upload=pdf_upload("Begründung zum Bebauungsplan Mühlenbach", "begruendung.pdf"),
        name="Begründung",
    )
    restricted_file = file_attach(
        actor=None,
        owner=public_paper,
        upload=pdf_upload(f"Kaufvertrag {marker}", "vertrag.pdf"),
        name=f"Vertrag {marker}",
        restricted=True,
    )
    public_paper = paper_release(actor=None, paper=public_paper)

    secret_paper = _paper(
        body,
        f"Grundstücksverkauf {marker}",
        public=False,
        facts=f"<p>Kaufpreis {marker}</p>",
    )
    consultation_path_set(
        actor=clerk,
        paper=secret_paper,
        steps=[([bau], Consultation.Role.DECIDING)],
    )
    secret_file = file_attach(
        actor=None,
        owner=secret_paper,
        upload=pdf_upload(f"Wertgutachten {marker}", "gutachten.pdf"),
        name=f"Wertgutachten {marker}",
    )
    secret_paper = paper_release(actor=None, paper=secret_paper)
    draft_paper = _paper(body, f"Entwurf {marker}")

    # The Bauausschuss on 10 November: held, minutes published ----------------
    held_meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[bau],
        name="3. Sitzung des Bauausschusses",
        start=berlin(11, 10, 17),
        location=hall,
    )
    agenda_item_add(actor=clerk, meeting=held_meeting, name="Eröffnung der Sitzung")
    public_item = agenda_item_add(actor=clerk, meeting=held_meeting, paper=public_paper)
    secret_item = agenda_item_add(
        actor=clerk, meeting=held_meeting, paper=secret_paper, public=False
    )
    hold(clerk, held_meeting, clock)
    consultation_record_result(
        actor=clerk,
        agenda_item=public_item,
        result="recommended",
        resolution_text="<p>Der Bauausschuss empfiehlt dem Rat den Beschluss.</p>",
    )
    consultation_record_result(
        actor=clerk,
        agenda_item=secret_item,
        result="accepted",
        resolution_text=f"<p>Verkauf beschlossen {marker}</p>",
    )
    minutes_open(actor=clerk, meeting=held_meeting, chair=chair, clerk=member)
    for item in held_meeting.agenda_items.all():
        item_minutes_update(actor=clerk, agenda_item=item, done=True)
    minutes_mark_drafted(actor=clerk, meeting=held_meeting)
    minutes_sign(actor=chair_user, meeting=held_meeting, as_role="chair")
    minutes_sign(actor=clerk, meeting=held_meeting, as_role="clerk")
    minutes_publish(actor=clerk, meeting=held_meeting)

    # The council on 3 December: invited ------------------------------------
    clock.set(TODAY + dt.timedelta(days=12))
    council_meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[council],
        name="5. Sitzung des Rates",
        start=berlin(12, 3, 18),
        location=hall,
    )
    council_item = agenda_item_add(
        actor=clerk, meeting=council_meeting, paper=public_paper
    )
    council_secret = agenda_item_add(
        actor=clerk,
        meeting=council_meeting,
        name=f"Personalangelegenheit {marker}",
        public=False,
    )
    invite(clerk, council_meeting)

    # A cancelled and a non-public meeting ------------------------------------
    cancelled = meeting_create(
        actor=clerk,
        body=body,
        organizations=[bau],
        name="4. Sitzung des Bauausschusses",
        start=berlin(11, 26, 17),
        location=hall,
    )
    agenda_item_add(actor=clerk, meeting=cancelled, name="Mitteilungen")
    invite(clerk, cancelled)
    meeting_cancel(actor=clerk, meeting=cancelled, reason="Keine Beratungsgegenstände")
    closed_meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[fraction],
        name=f"Fraktionssitzung {marker}",
        start=berlin(11, 24, 19),
    )
    for obj in (public_paper, secret_paper, held_meeting, council_meeting, cancelled):
        obj.refresh_from_db()
    world = SimpleNamespace(
        body=body,
        portal=portal,
        location=hall,
        council=council,
        bau=bau,
        fraction=fraction,
        department=department,
        chair=chair,
        member=member,
        former=former,
        clerk_person=clerk_person,
        clerk=clerk,
        public_paper=public_paper,
        secret_paper=secret_paper,
        draft_paper=draft_paper,
        restricted_file=restricted_file,
        secret_file=secret_file,
        held_meeting=held_meeting,
        public_item=public_item,
        secret_item=secret_item,
        council_meeting=council_meeting,
        council_item=council_item,
        council_secret=council_secret,
        cancelled=cancelled,
        closed_meeting=closed_meeting,
        marker=marker,
    )
    if more_twins:
        add_more_twins(world, clock)
    return world


def _soft_delete(obj):
    from django.utils import timezone

    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at"])
    return obj


def add_more_twins(world, clock) -> None:
    """More non-public twins, each carrying ``world.marker``: a non-public
    agenda item with a (public-flagged) sub-item and a file, a removed agenda
    item, a meeting cancelled before its invitation with items, a deleted and a
    withdrawn-before-release paper, a deleted file, minutes files of a meeting
    whose minutes are not published, a deleted organization and person with
    memberships. Adds a public 6th council meeting on 17 December (no marker)
    and a cancelled Bauausschuss meeting on 8 December (no marker in name or
    reason)."""
    from sessions.services.agenda import agenda_item_remove

    marker, body, clerk = world.marker, world.body, world.clerk
    clock.set(TODAY + dt.timedelta(days=12))

    later = meeting_create(
        actor=clerk,
        body=body,
        organizations=[world.council],
        name="6. Sitzung des Rates",
        start=berlin(12, 17, 18),
        location=world.location,
    )
    agenda_item_add(actor=clerk, meeting=later, name="Einwohnerfragestunde")
    hidden_parent = agenda_item_add(
        actor=clerk, meeting=later, name=f"Vertragsangelegenheit {marker}", public=False
    )
    hidden_child = agenda_item_add(
        actor=clerk, meeting=later, name=f"Unterpunkt {marker}", parent=hidden_parent
    )
    hidden_item_file = file_attach(
        actor=None,
        owner=hidden_parent,
        upload=pdf_upload(f"Vertragsentwurf {marker}", "vertragsentwurf.pdf"),
        name=f"Vertragsentwurf {marker}",
    )
    removed_item = agenda_item_add(
        actor=clerk, meeting=later, name=f"Abgesetzter Punkt {marker}"
    )
    agenda_item_remove(actor=clerk, item=removed_item)
    invite(clerk, later)
    early_minutes = file_attach(
        actor=None,
        owner=world.council_meeting,
        upload=pdf_upload(f"Protokollentwurf {marker}", "protokoll.pdf"),
        name=f"Protokollentwurf {marker}",
        role="results_protocol",
    )

    called_off = meeting_create(
        actor=clerk,
        body=body,
        organizations=[world.bau],
        name="Sondersitzung des Bauausschusses",
        start=berlin(12, 8, 17),
        location=world.location,
    )
    agenda_item_add(actor=clerk, meeting=called_off, name=f"Vorberatung {marker}")
    meeting_cancel(actor=clerk, meeting=called_off, reason="Terminverschiebung")

    deleted_paper = _soft_delete(
        paper_release(
            actor=None, paper=_paper(body, f"Gelöschte Vorlage {marker}", facts="")
        )
    )
    withdrawn_draft = _paper(body, f"Zurückgezogener Entwurf {marker}")
    from documents.services import paper_withdraw

    withdrawn_draft = paper_withdraw(
        actor=None, paper=withdrawn_draft, reason=f"Grund {marker}"
    )
    deleted_file = _soft_delete(
        file_attach(
            actor=None,
            owner=world.public_paper,
            upload=pdf_upload(f"Alte Fassung {marker}", "alte-fassung.pdf"),
            name=f"Alte Fassung {marker}",
        )
    )
    deleted_organization = OrganizationFactory(
        body=body, name=f"Arbeitskreis {marker}", kind="committee"
    )
    MembershipFactory(person=world.chair, organization=deleted_organization)
    _soft_delete(deleted_organization)
    deleted_person = PersonFactory(
        body=body, given_name="Otto", family_name=f"Gelöscht {marker}"
    )
    MembershipFactory(person=deleted_person, organization=world.council)
    _soft_delete(deleted_person)

    for obj in (world.public_paper, world.council_meeting):
        obj.refresh_from_db()
    later.refresh_from_db()
    called_off.refresh_from_db()
    world.__dict__.update(
        later_meeting=later,
        hidden_parent=hidden_parent,
        hidden_child=hidden_child,
        hidden_item_file=hidden_item_file,
        removed_item=removed_item,
        early_minutes=early_minutes,
        called_off=called_off,
        deleted_paper=deleted_paper,
        withdrawn_draft=withdrawn_draft,
        deleted_file=deleted_file,
        deleted_organization=deleted_organization,
        deleted_person=deleted_person,
    )
