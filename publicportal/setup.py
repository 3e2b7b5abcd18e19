"""Create a body's portal: its Wagtail site, start page and standard pages.

The standard pages are content, not user interface: the council office edits
them in the Wagtail admin after set-up. Their first versions are German
because that is the language of the content; the interface around them is
translated as usual.
"""

from django.db import transaction
from wagtail.models import Page, Site

from gremien.models import Body

from .models import ContentPage, FeedbackFormField, FeedbackFormPage, PortalHomePage

STANDARD_PAGES = [
    (
        "ueber-den-rat",
        "Über den Rat",
        "<p>Der Rat ist die gewählte Vertretung der Bürgerinnen und Bürger. "
        "Er entscheidet über alle wichtigen Angelegenheiten und bildet "
        "Ausschüsse, die seine Entscheidungen vorbereiten oder selbst "
        "entscheiden. Die Sitzungen sind grundsätzlich öffentlich; nur wenn "
        "das Wohl der Allgemeinheit oder berechtigte Interessen Einzelner es "
        "erfordern, wird nichtöffentlich beraten.</p>"
        "<h2>Wie Sie teilnehmen können</h2><ul><li>Besuchen Sie eine "
        "öffentliche Sitzung; eine Anmeldung ist nicht nötig.</li>"
        "<li>Nutzen Sie die Einwohnerfragestunde zu Beginn vieler Sitzungen."
        "</li><li>Wenden Sie sich an die Mitglieder des Rates.</li></ul>",
        False,
    ),
    (
        "leichte-sprache",
        "Leichte Sprache",
        "<p>Auf dieser Internet-Seite finden Sie Informationen über den Rat."
        "</p><p>Der Rat trifft Entscheidungen für unseren Ort.</p>"
        "<p>Der Rat trifft sich in Sitzungen.</p><p>Bei einer Sitzung dürfen "
        "alle Menschen zuschauen.</p><p>Manche Themen sind geheim. Dann "
        "dürfen nur die Mitglieder vom Rat zuhören.</p><h2>Was finden Sie "
        "hier?</h2><ul><li>Wann sind die Sitzungen?</li><li>Worüber spricht "
        "der Rat?</li><li>Was hat der Rat entschieden?</li></ul>",
        True,
    ),
    (
        "impressum",
        "Impressum",
        "<p>Verantwortlich für den Inhalt dieses Ratsinformationssystems ist "
        "die Verwaltung, vertreten durch die Hauptverwaltungsbeamtin oder den "
        "Hauptverwaltungsbeamten.</p><p>Anschrift, Telefon und E-Mail trägt "
        "das Sitzungsbüro hier ein.</p>",
        False,
    ),
    (
        "datenschutz",
        "Datenschutz",
        "<p>Dieses Portal setzt keine Cookies zu Werbe- oder Analysezwecken "
        "und lädt keine Inhalte von Dritten. Beim Aufruf speichert der Server "
        "technisch notwendige Daten (Zeitpunkt, aufgerufene Adresse) für "
        "höchstens sieben Tage. Eine Sprachauswahl speichert ein Cookie mit "
        "der gewählten Sprache.</p><p>Personenbezogene Daten von Mitgliedern "
        "der Gremien werden nur veröffentlicht, soweit die Gemeindeordnung es "
        "vorsieht oder die Person eingewilligt hat.</p>",
        False,
    ),
]

ACCESSIBILITY_INTRO = (
    "<p>Wir sind bemüht, dieses Portal im Einklang mit der "
    "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei "
    "zugänglich zu machen.</p><h2>Stand der Vereinbarkeit</h2><p>Dieses "
    "Portal ist mit den Anforderungen der WCAG 2.1 auf Stufe AA vereinbar. "
    "Hochgeladene PDF-Dokumente älterer Vorlagen sind teilweise nicht "
    "barrierefrei.</p><h2>Feedback und Kontakt</h2><p>Sind Ihnen Mängel "
    "aufgefallen? Schreiben Sie uns über das folgende Formular.</p>"
    "<h2>Schlichtungsverfahren</h2><p>Bleibt Ihre Rückmeldung unbeantwortet, "
    "können Sie sich an die Schlichtungsstelle nach § 16 BGG wenden.</p>"
)
FEEDBACK_FIELDS = [
    ("Ihr Name", "singleline", False, ""),
    ("Ihre E-Mail-Adresse für eine Antwort", "email", False, ""),
    ("Betroffene Seite (Adresse)", "singleline", False, ""),
    ("Beschreibung des Problems", "multiline", True, ""),
]


@transaction.atomic
def portal_create(
    *, body: Body, hostname: str, port: int = 80, is_default: bool = False
) -> PortalHomePage:
    """Give ``body`` its portal: start page, standard pages and a Wagtail
    ``Site`` for ``hostname``. Called by set-up commands (``actor`` is the
    operator at the console); idempotent: an existing portal is returned
    with its site updated."""
    existing = PortalHomePage.objects.filter(body=body).first()
    if existing is not None:
        _site_for(existing, hostname=hostname, port=port, is_default=is_default)
        return existing
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=PortalHomePage(
            title=f"Ratsinformationssystem {body.name}",
            slug=body.slug,
            body=body,
            intro=(
                f"<p>Hier finden Sie die Sitzungen, Tagesordnungen, Vorlagen "
                f"und Niederschriften der Gremien von {body.name}.</p>"
            ),
        )
    )
    for slug, title, text, easy in STANDARD_PAGES:
        home.add_child(
            instance=ContentPage(
                title=title,
                slug=slug,
                text=text,
                easy_language=easy,
                show_in_menus=True,
            )
        )
    form = FeedbackFormPage(
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        intro=ACCESSIBILITY_INTRO,
        thank_you_text="<p>Vielen Dank. Wir melden uns innerhalb von zwei Wochen.</p>",
        to_address=body.contact_email,
        subject=f"Rückmeldung zur Barrierefreiheit ({body.name})",
        show_in_menus=True,
    )
    home.add_child(instance=form)
    for order, (label, field_type, required, choices) in enumerate(FEEDBACK_FIELDS):
        FeedbackFormField.objects.create(
            page=form,
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
        )
    _site_for(home, hostname=hostname, port=port, is_default=is_default)
    return home


def _site_for(home: PortalHomePage, *, hostname: str, port: int, is_default: bool):
    if is_default:
        Site.objects.filter(is_default_site=True).exclude(root_page=home).update(
            is_default_site=False
        )
    site = Site.objects.filter(root_page=home).first() or Site(root_page=home)
    site.hostname, site.port, site.is_default_site = hostname, port, is_default
    site.site_name = home.body.name
    site.save()
    _drop_wagtail_welcome_page()


def _drop_wagtail_welcome_page() -> None:
    """Wagtail's installation creates a placeholder page and site on
    localhost; once a portal exists they only get in the way."""
    for site in Site.objects.exclude(root_page__in=PortalHomePage.objects.all()):
        page = site.root_page
        site.delete()
        if page.depth == 2 and not page.get_children().exists():
            page.delete()
