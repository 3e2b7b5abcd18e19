"""A small council as another system's OParl 1.1 endpoint would publish it.

Built for :class:`tests.oparl_import.server.Site`: ids are ``@path`` (made
absolute by the server). It carries the quirks the importer must take: a
body named ``N/A`` with a 7-digit AGS, an organization named ``N/A``, a
person with only ``name``, embedded objects without ``type``, a dangling
address, an agenda item without ``order``, a file reachable only through the
1.1 file list, vendor keys, and the six 1.1 body lists.
"""

from .server import Site

V11 = "https://schema.oparl.org/1.1/"
OLD = "2020-01-01T12:00:00+01:00"


def tiny_pdf(words: str) -> bytes:
    """A valid one-page PDF whose text is ``words``."""
    stream = f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _obj(site: Site, path: str, type_name: str | None, **data) -> dict:
    obj = {"id": f"@{path}"}
    if type_name:
        obj["type"] = V11 + type_name
    obj.update(data)
    obj.setdefault("created", OLD)
    obj.setdefault("modified", OLD)
    site.objects[path] = obj
    return obj


def _file(site: Site, path: str, name: str, content: bytes, mime: str, **data) -> dict:
    site.files[f"content/{path}"] = (mime, content)
    return _obj(
        site,
        path,
        "File",
        name=name,
        fileName=f"{path.replace('/', '-')}.{'pdf' if mime.endswith('pdf') else 'txt'}",
        mimeType=mime,
        accessUrl=f"@content/{path}",
        **data,
    )


def build_site(*, limit: int = 3) -> Site:
    site = Site(limit=limit)
    body = "body/1"
    _obj(
        site,
        "system",
        "System",
        oparlVersion=V11,
        name="N/A",
        body="@bodies",
    )
    town_hall = _obj(
        site,
        "location/1",
        None,  # embedded without type, as some vendors do
        description="Rathaus, Ratssaal",
        streetAddress="Markt 1",
        postalCode="12345",
        locality="Musterstadt",
    )
    term = _obj(
        site,
        "term/1",
        "LegislativeTerm",
        body=f"@{body}",
        name="Wahlperiode 2020–2025",
        startDate="2020-11-01",
        endDate="2025-10-31",
    )
    council = _obj(
        site,
        "organization/1",
        "Organization",
        body=f"@{body}",
        name="Rat der Stadt",
        shortName="Rat",
        organizationType="Gremium",
        classification="Hauptorgan",
        location=town_hall,
        **{"VENDOR:sort": 3},
    )
    committee = _obj(
        site,
        "organization/2",
        "Organization",
        body=f"@{body}",
        name="N/A",
        shortName="Bauausschuss",
        organizationType="Gremium",
        classification="Ausschuss",
    )
    fraction = _obj(
        site,
        "organization/3",
        "Organization",
        body=f"@{body}",
        name="Fraktion Blau",
        organizationType="Fraktion",
    )
    memberships = [
        _obj(
            site,
            "membership/1",
            "Membership",
            person="@person/1",
            organization="@organization/1",
            role="Vorsitzende",
            startDate="2020-11-01",
        ),
        _obj(
            site,
            "membership/2",
            "Membership",
            person="@person/1",
            organization="@organization/3",
            role="Mitglied",
        ),
        _obj(
            site,
            "membership/3",
            "Membership",
            person="@person/2",
            organization="@organization/2",
            role="Sachkundige Bürgerin",
        ),
        _obj(
            site,
            "membership/4",
            "Membership",
            person="@person/3",
            organization="@organization/2",
            role="Stellvertretendes Mitglied",
        ),
        _obj(
            site,
            "membership/5",
            "Membership",
            person="@person/3",
            organization="@organization/1",
            role="stellv. Vorsitzender",
        ),
    ]
    anna = _obj(
        site,
        "person/1",
        "Person",
        body=f"@{body}",
        name="Anna Alt",
        familyName="Alt",
        givenName="Anna",
        formOfAddress="Frau",
        email=["anna.alt@example.org"],
        phone=["+49 1234 5678"],
        membership=memberships[:2],
    )
    erika = _obj(
        site,
        "person/2",
        "Person",
        body=f"@{body}",
        name="Frau Dr. Erika von Mustermann",
        title=["Dr."],
        membership=[memberships[2]],
    )
    bernd = _obj(
        site,
        "person/3",
        "Person",
        body=f"@{body}",
        name="Bernd Bau",
        familyName="Bau",
        givenName="Bernd",
        location="@location/404",  # dangling: the source does not have it
        membership=memberships[3:],
    )

    invitation = _file(
        site,
        "file/1",
        "Einladung",
        tiny_pdf("Einladung"),
        "application/pdf",
        date="2021-03-01",
    )
    protocol = _file(
        site, "file/2", "Niederschrift", tiny_pdf("Niederschrift"), "application/pdf"
    )
    main_file = _file(
        site, "file/3", "Vorlage Radweg", tiny_pdf("Radweg"), "application/pdf"
    )
    note = _file(site, "file/4", "Notiz", b"Hallo Welt aus der Notiz", "text/plain")
    listed_only = _file(
        site,
        "file/5",
        "Lageplan",
        tiny_pdf("Lageplan"),
        "application/pdf",
        paper=["@paper/1"],
    )
    decision = _file(
        site, "file/6", "Beschluss", tiny_pdf("Beschluss"), "application/pdf"
    )

    item1 = _obj(
        site,
        "agendaitem/1",
        "AgendaItem",
        meeting="@meeting/1",
        number="Ö 1",
        order=1,
        name="Radweg an der Hauptstraße",
        public=True,
        result="beschlossen",
        resolutionText="Der Rat beschließt den Radweg.\nEr wird 2022 gebaut.",
        consultation="@consultation/1",
        resolutionFile=decision,
    )
    item2 = _obj(
        site,
        "agendaitem/2",
        None,  # embedded without type and without order
        meeting="@meeting/1",
        number="Ö 2",
        name="Mitteilungen",
        result="einstimmig, 0 Enthaltungen",
        auxiliaryFile=[note],
    )
    item3 = _obj(
        site,
        "agendaitem/3",
        "AgendaItem",
        meeting="@meeting/2",
        number="Ö 1",
        order=1,
        name="Haushalt 2030",
    )
    meeting1 = _obj(
        site,
        "meeting/1",
        "Meeting",
        name="N/A",
        start="2021-03-10T18:00:00+01:00",
        end="2021-03-10T20:00:00+01:00",
        location=town_hall,
        organization=["@organization/1"],
        participant=["@person/1", "@person/3"],
        invitation=invitation,
        resultsProtocol=protocol,
        agendaItem=[item1, item2],
    )
    meeting2 = _obj(
        site,
        "meeting/2",
        "Meeting",
        name="Bauausschuss (Sitzung 2030)",
        meetingState="eingeladen",
        start="2030-05-05T17:00:00+02:00",
        organization=["@organization/2"],
        agendaItem=[item3],
    )
    meeting3 = _obj(
        site,
        "meeting/3",
        "Meeting",
        name="Rat (abgesagt)",
        cancelled=True,
        start="2021-06-01T18:00:00+02:00",
        organization=["@organization/1"],
    )
    consultation1 = _obj(
        site,
        "consultation/1",
        "Consultation",
        paper="@paper/1",
        agendaItem="@agendaitem/1",
        meeting="@meeting/1",
        organization=["@organization/1"],
        authoritative=True,
        role="Entscheidung",
    )
    consultation2 = _obj(
        site,
        "consultation/2",
        "Consultation",
        paper="@paper/3",
        meeting="@meeting/2",
        organization=["@organization/2"],
        role="Vorberatung",
    )
    paper1 = _obj(
        site,
        "paper/1",
        "Paper",
        body=f"@{body}",
        name="Radweg an der Hauptstraße",
        reference="VO/2021/0007",
        date="2021-02-15",
        paperType="Beschlussvorlage",
        mainFile=main_file,
        underDirectionOf=["@organization/2"],
        originatorPerson=["@person/1"],
        consultation=[consultation1],
    )
    paper2 = _obj(
        site,
        "paper/2",
        "Paper",
        body=f"@{body}",
        name="Tischvorlage zum Radweg",
        date="2021-03-10",
        paperType="Tischvorlage",
        relatedPaper=["@paper/1"],
    )
    paper3 = _obj(
        site,
        "paper/3",
        "Paper",
        body=f"@{body}",
        name="Haushaltsplan 2030",
        reference="12/2030",
        date="2030-01-20",
        paperType="Mitteilungsvorlage",
        consultation=[consultation2],
    )
    _obj(
        site,
        body,
        "Body",
        system="@system",
        name="N/A",
        shortName="Musterstadt",
        ags="1234567",
        classification="Stadt",
        website="N/A",
        contactEmail="rat@musterstadt.example",
        location=town_hall,
        legislativeTerm=[term],
        organization=f"@{body}/organization",
        person=f"@{body}/person",
        meeting=f"@{body}/meeting",
        paper=f"@{body}/paper",
        agendaItem=f"@{body}/agendaItem",
        consultation=f"@{body}/consultation",
        file=f"@{body}/file",
        locationList=f"@{body}/locationList",
        legislativeTermList=f"@{body}/legislativeTermList",
        membership=f"@{body}/membership",
    )
    site.lists = {
        "bodies": [body],
        f"{body}/organization": [_path(o) for o in (council, committee, fraction)],
        f"{body}/person": [_path(p) for p in (anna, erika, bernd)],
        f"{body}/meeting": [_path(m) for m in (meeting1, meeting2, meeting3)],
        f"{body}/paper": [_path(p) for p in (paper1, paper2, paper3)],
        f"{body}/agendaItem": [_path(i) for i in (item1, item2, item3)],
        f"{body}/consultation": [_path(c) for c in (consultation1, consultation2)],
        f"{body}/file": [
            _path(f)
            for f in (invitation, protocol, main_file, note, listed_only, decision)
        ],
        f"{body}/locationList": [_path(town_hall)],
        f"{body}/legislativeTermList": [_path(term)],
        f"{body}/membership": [_path(m) for m in memberships],
    }
    return site


def _path(obj: dict) -> str:
    return obj["id"][1:]
