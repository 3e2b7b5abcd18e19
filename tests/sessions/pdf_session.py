"""A realistic Bauausschuss meeting for the document tests and screenshots,
built through the services as the Sitzungsdienst would: papers with their
texts, consultation paths and attachments, public and non-public items with a
sub-item and an addendum, the meeting held with attendance, votes, a roll-call
vote, a declared bias and resolutions.

Every non-public text carries ``MARKER``; nothing public does.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from documents.services import file_attach, paper_create, paper_release
from gremien.models import Membership
from sessions.models import Attendance, Consultation
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import (
    consultation_path_set,
    consultation_record_result,
)
from sessions.services.lifecycle import meeting_create, meeting_end, meeting_start
from sessions.services.minutes import (
    attendance_record,
    item_minutes_update,
    minutes_open,
)
from tests.gremien.factories import (
    BodyFactory,
    LocationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    staff_of,
)
from tests.publicportal.world import pdf_upload
from tests.sessions.agenda_factories import invite

BERLIN = ZoneInfo("Europe/Berlin")
MARKER = "VERTRAULICH-4K7P"
START = dt.datetime(2026, 3, 12, 17, 0, tzinfo=BERLIN)

FACTS = (
    "<p>Der Rat der Stadt hat am 14.05.2025 die Aufstellung des Bebauungsplans "
    "Nr. 12 „Am Mühlenbach“ beschlossen. Ziel ist die Entwicklung eines "
    "Wohngebiets mit etwa 120 Wohneinheiten, davon mindestens 30 Prozent "
    "öffentlich gefördert, sowie einer viergruppigen Kindertagesstätte.</p>"
    "<p>Die frühzeitige Beteiligung der Öffentlichkeit fand vom 02.09. bis "
    "03.10.2025 statt. Es gingen 47 Stellungnahmen ein, die überwiegend die "
    "Verkehrserschließung über die Mühlenstraße und den Hochwasserschutz am "
    "Mühlenbach betrafen. Die Abwägungsvorschläge der Verwaltung sind als "
    "Anlage 2 beigefügt.</p>"
    "<h3>Verkehrserschließung</h3>"
    "<p>Das Verkehrsgutachten kommt zu dem Ergebnis, dass die Mühlenstraße den "
    "zusätzlichen Verkehr aufnehmen kann, wenn die Einmündung in die "
    "Hauptstraße mit einer Lichtsignalanlage ausgestattet wird.</p>"
    "<ul><li>Anbindung an den ÖPNV über die Buslinie 4</li>"
    "<li>Fuß- und Radwegeverbindung entlang des Mühlenbachs</li>"
    "<li>Quartiersgarage mit 80 Stellplätzen</li></ul>"
)
PROPOSAL = (
    "<p>Der Bauausschuss empfiehlt dem Rat, den Entwurf des Bebauungsplans "
    "Nr. 12 „Am Mühlenbach“ mit Begründung in der vorgelegten Fassung zu "
    "billigen und die öffentliche Auslegung gemäß § 3 Abs. 2 BauGB zu "
    "beschließen.</p>"
)
FINANCE = (
    "<p>Die Planungskosten von 85.000 € sind im Haushalt 2026 unter dem "
    "Produkt 51.10 veranschlagt. Die Erschließungskosten trägt der "
    "Vorhabenträger nach dem städtebaulichen Vertrag.</p>"
)


def _paper(body, name, *, public=True, **texts):
    paper = paper_create(
        actor=None,
        body=body,
        name=name,
        date=dt.date(2026, 2, 20),
        public=public,
        **texts,
    )
    return paper


def _released(paper, clerk, steps, files=()):
    consultation_path_set(actor=clerk, paper=paper, steps=steps)
    for name, text in files:
        file_attach(
            actor=None,
            owner=paper,
            upload=pdf_upload(text, f"{name.lower().replace(' ', '-')}.pdf"),
            name=name,
        )
    return paper_release(actor=None, paper=paper)


def _people(body, council, bau, department):
    chair = PersonFactory(
        body=body, form_of_address="Frau", given_name="Erika", family_name="Mustermann"
    )
    members = [
        PersonFactory(body=body, given_name=given, family_name=family, title=title)
        for given, family, title in (
            ("Hans", "Beispiel", []),
            ("Aylin", "Yılmaz", []),
            ("Klaus", "Berger", ["Dr."]),
            ("Maria", "Schmidt", []),
            ("Jonas", "Krüger", []),
        )
    ]
    deputy = PersonFactory(body=body, given_name="Peter", family_name="Neumann")
    clerk_person = PersonFactory(body=body, given_name="Sven", family_name="Protokoll")
    MembershipFactory(person=chair, organization=council, role="Vorsitzende")
    MembershipFactory(person=chair, organization=bau, role="Vorsitzende")
    seats = {}
    for person in members:
        seats[person.pk] = MembershipFactory(person=person, organization=bau)
        person.email = [f"{person.given_name.lower()}@example.org"]
        person.save(update_fields=["email"])
    deputy_seat = MembershipFactory(
        person=deputy,
        organization=bau,
        kind=Membership.Kind.DEPUTY,
        deputy_of=seats[members[3].pk],
    )
    MembershipFactory(
        person=clerk_person, organization=department, kind=Membership.Kind.STAFF
    )
    return chair, members, deputy, deputy_seat, clerk_person


def build_session(clock, *, slug: str = "neuhausen-pdf", marker: str = MARKER):
    """The meeting, held on 12 March 2026, its minutes not yet signed.
    ``marker=""`` gives the same meeting without markers (screenshots)."""
    clock.set(dt.datetime(2026, 2, 20, 9, 0, tzinfo=BERLIN))
    body = BodyFactory(name="Stadt Neuhausen", slug=slug)
    hall = LocationFactory(
        body=body,
        description="Rathaus, Großer Sitzungssaal",
        street_address="Marktplatz 1",
        postal_code="12345",
        locality="Neuhausen",
    )
    body.location = hall
    body.save(update_fields=["location"])
    council = OrganizationFactory(body=body, name="Rat der Stadt", kind="council")
    bau = OrganizationFactory(
        body=body, name="Ausschuss für Stadtentwicklung und Bauen", kind="committee"
    )
    department = OrganizationFactory(
        body=body, name="Fachbereich Planen und Bauen", kind="department"
    )
    chair, members, deputy, deputy_seat, clerk_person = _people(
        body, council, bau, department
    )
    clerk = staff_of(body)

    plan = _paper(
        body,
        "Bebauungsplan Nr. 12 „Am Mühlenbach“ – Billigung des Entwurfs und "
        "öffentliche Auslegung",
        facts=FACTS,
        proposal=PROPOSAL,
        financial_impact=FINANCE,
    )
    plan.under_direction_of.set([department])
    plan = _released(
        plan,
        clerk,
        [
            ([bau], Consultation.Role.PRELIMINARY),
            ([council], Consultation.Role.DECIDING),
        ],
        [
            ("Planzeichnung", "Planzeichnung Bebauungsplan Nr. 12"),
            ("Abwägungsvorschläge", "Abwägung der Stellungnahmen"),
            ("Verkehrsgutachten", "Verkehrsgutachten Mühlenstraße"),
        ],
    )
    school = _released(
        _paper(
            body,
            "Sanierung der Turnhalle der Grundschule Lindenweg",
            facts="<p>Die Turnhalle ist baulich und energetisch "
            "sanierungsbedürftig.</p>",
            proposal="<p>Der Bauausschuss beschließt die Sanierung nach "
            "Variante B.</p>",
        ),
        clerk,
        [([bau], Consultation.Role.DECIDING)],
        [("Kostenschätzung", "Kostenschätzung Turnhalle")],
    )
    motion = _paper(
        body,
        "Antrag der Fraktion Bürgerliste: Tempo 30 in der Mühlenstraße",
        paper_type="Antrag",
        facts="<p>Die Fraktion beantragt eine Geschwindigkeitsbegrenzung.</p>",
    )
    motion.originator_persons.set([members[0]])
    motion = _released(motion, clerk, [([bau], Consultation.Role.DECIDING)])
    land = _released(
        _paper(
            body,
            f"Verkauf des Grundstücks Flurstück 112/4 {marker}".strip(),
            public=False,
            facts=f"<p>Kaufpreis 412.000 € {marker}</p>",
            proposal=f"<p>Dem Verkauf wird zugestimmt. {marker}</p>",
        ),
        clerk,
        [([bau], Consultation.Role.DECIDING)],
        [(f"Wertgutachten {marker}".strip(), f"Wertgutachten {marker}")],
    )

    meeting = meeting_create(
        actor=clerk,
        body=body,
        organizations=[bau],
        name="12. Sitzung des Ausschusses für Stadtentwicklung und Bauen",
        start=START,
        end=START + dt.timedelta(hours=2, minutes=40),
        location=hall,
    )
    add = agenda_item_add
    opening = add(
        actor=clerk,
        meeting=meeting,
        name="Eröffnung, Feststellung der ordnungsgemäßen Einladung und der "
        "Beschlussfähigkeit",
    )
    add(
        actor=clerk,
        meeting=meeting,
        name="Genehmigung der Niederschrift der 11. Sitzung",
    )
    plan_item = add(actor=clerk, meeting=meeting, paper=plan)
    school_item = add(actor=clerk, meeting=meeting, paper=school)
    motion_item = add(actor=clerk, meeting=meeting, paper=motion)
    reports = add(actor=clerk, meeting=meeting, name="Mitteilungen der Verwaltung")
    sub_report = add(
        actor=clerk,
        meeting=meeting,
        name="Sachstand Radwegebau Hauptstraße",
        parent=reports,
    )
    land_item = add(actor=clerk, meeting=meeting, paper=land)
    staff_item = add(
        actor=clerk,
        meeting=meeting,
        name=f"Personalangelegenheit {marker}".strip(),
        public=False,
    )
    clock.set(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN))
    invite(clerk, meeting)
    late = add(
        actor=clerk,
        meeting=meeting,
        name="Dringlichkeitsantrag: Baumfällungen im Stadtpark",
    )

    # The meeting is held -----------------------------------------------------
    clock.set(START)
    meeting_start(actor=clerk, meeting=meeting)
    minutes_open(actor=clerk, meeting=meeting, chair=chair, clerk=clerk_person)
    present = [chair, *members[:3], members[4]]
    attendance_record(
        actor=clerk,
        meeting=meeting,
        person=chair,
        status=Attendance.Status.PRESENT,
        capacity=Attendance.Capacity.CHAIR,
    )
    for person in present[1:]:
        attendance_record(actor=clerk, meeting=meeting, person=person, status="present")
    attendance_record(actor=clerk, meeting=meeting, person=members[3], status="excused")
    attendance_record(
        actor=clerk,
        meeting=meeting,
        person=deputy,
        status="present",
        capacity=Attendance.Capacity.DEPUTY,
        membership=deputy_seat,
        substitute_for=members[3],
        arrived_before=plan_item,
    )
    attendance_record(
        actor=clerk,
        meeting=meeting,
        person=clerk_person,
        status="present",
        capacity=Attendance.Capacity.CLERK,
    )
    item_minutes_update(
        actor=clerk,
        agenda_item=opening,
        discussion="<p>Die Vorsitzende eröffnet die Sitzung um 17:00 Uhr und stellt "
        "die ordnungsgemäße Einladung und die Beschlussfähigkeit fest.</p>",
        done=True,
    )
    consultation_record_result(
        actor=clerk,
        agenda_item=plan_item,
        result="recommended",
        resolution_text=PROPOSAL,
    )
    item_minutes_update(
        actor=clerk,
        agenda_item=plan_item,
        discussion="<p>Herr Dr. Berger fragt nach dem Hochwasserschutz. Die "
        "Verwaltung erläutert das Rückhaltebecken.</p>",
        motions="<p>Antrag von Frau Yılmaz, den Anteil geförderter Wohnungen auf "
        "40 Prozent zu erhöhen: abgelehnt.</p>",
        statements="<p>Herr Krüger erklärt zu Protokoll, dass er der Vorlage nur "
        "wegen der Kita zustimmt.</p>",
        votes_yes=5,
        votes_no=1,
        votes_abstain=0,
        done=True,
    )
    consultation_record_result(
        actor=clerk,
        agenda_item=school_item,
        result="accepted",
        resolution_text="<p>Die Turnhalle wird nach Variante B saniert.</p>",
    )
    item_minutes_update(
        actor=clerk,
        agenda_item=school_item,
        roll_call=[
            {"person": chair.pk, "vote": "yes"},
            {"person": members[0].pk, "vote": "yes"},
            {"person": members[1].pk, "vote": "no"},
            {"person": members[2].pk, "vote": "abstain"},
            {"person": deputy.pk, "vote": "yes"},
        ],
        biased=[members[4]],
        done=True,
    )
    consultation_record_result(
        actor=clerk,
        agenda_item=motion_item,
        result="rejected",
        resolution_text="<p>Der Antrag wird abgelehnt.</p>",
    )
    item_minutes_update(
        actor=clerk, agenda_item=motion_item, votes_yes=2, votes_no=4, done=True
    )
    consultation_record_result(
        actor=clerk,
        agenda_item=land_item,
        result="accepted",
        resolution_text=f"<p>Dem Verkauf wird zugestimmt. {marker}</p>",
    )
    item_minutes_update(
        actor=clerk,
        agenda_item=land_item,
        discussion=f"<p>Aussprache zum Kaufpreis {marker}</p>",
        unanimous=True,
        done=True,
    )
    meeting_end(actor=clerk, meeting=meeting)
    clock.set(START + dt.timedelta(days=1))
    for obj in (meeting, plan, school, motion, land):
        obj.refresh_from_db()
    return SimpleNamespace(
        body=body,
        location=hall,
        council=council,
        bau=bau,
        department=department,
        chair=chair,
        members=members,
        deputy=deputy,
        clerk_person=clerk_person,
        clerk=clerk,
        plan=plan,
        school=school,
        motion=motion,
        land=land,
        meeting=meeting,
        opening=opening,
        plan_item=plan_item,
        school_item=school_item,
        motion_item=motion_item,
        reports=reports,
        sub_report=sub_report,
        land_item=land_item,
        staff_item=staff_item,
        late=late,
        marker=marker,
    )
