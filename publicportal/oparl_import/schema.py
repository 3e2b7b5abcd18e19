"""What the importer knows about OParl's object graph (1.0 and 1.1).

Which properties hold embedded objects, which lists a Body offers, and
which references lead to objects we store. The tables are the single place
for these facts; the crawler takes embedded objects out by them, the writer
resolves references by them.
"""

from documents.models import File, Paper
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
)
from sessions.models import AgendaItem, Consultation, Meeting

#: Our model per OParl type.
MODELS = {
    "Body": Body,
    "LegislativeTerm": LegislativeTerm,
    "Location": Location,
    "Organization": Organization,
    "Person": Person,
    "Membership": Membership,
    "Meeting": Meeting,
    "AgendaItem": AgendaItem,
    "Paper": Paper,
    "Consultation": Consultation,
    "File": File,
}

#: The order of writing: every object after those it needs.
WRITE_ORDER = (
    "Location",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
)

#: Lists of a Body (property → type of its objects), read in this order.
#: The last six are new in 1.1; a 1.0 body has none of them.
BODY_LISTS = (
    ("organization", "Organization"),
    ("person", "Person"),
    ("meeting", "Meeting"),
    ("paper", "Paper"),
    ("membership", "Membership"),
    ("agendaItem", "AgendaItem"),
    ("consultation", "Consultation"),
    ("file", "File"),
    ("locationList", "Location"),
    ("legislativeTermList", "LegislativeTerm"),
)

#: Properties holding embedded objects: (type, property) → embedded type.
#: The type is what an embedded object without ``type`` is taken to be.
EMBEDDED = {
    ("Body", "location"): "Location",
    ("Body", "legislativeTerm"): "LegislativeTerm",
    ("Organization", "location"): "Location",
    ("Person", "location"): "Location",
    ("Person", "locationObject"): "Location",
    ("Person", "membership"): "Membership",
    ("Meeting", "location"): "Location",
    ("Meeting", "invitation"): "File",
    ("Meeting", "resultsProtocol"): "File",
    ("Meeting", "verbatimProtocol"): "File",
    ("Meeting", "auxiliaryFile"): "File",
    ("Meeting", "agendaItem"): "AgendaItem",
    ("AgendaItem", "resolutionFile"): "File",
    ("AgendaItem", "auxiliaryFile"): "File",
    ("Paper", "mainFile"): "File",
    ("Paper", "auxiliaryFile"): "File",
    ("Paper", "location"): "Location",
    ("Paper", "consultation"): "Consultation",
}

#: The role of a file by the property it is embedded in.
FILE_ROLES = {
    "mainFile": File.Role.MAIN,
    "auxiliaryFile": File.Role.ATTACHMENT,
    "invitation": File.Role.INVITATION,
    "resultsProtocol": File.Role.RESULTS_PROTOCOL,
    "verbatimProtocol": File.Role.VERBATIM_PROTOCOL,
    "resolutionFile": File.Role.RESOLUTION,
}

#: The parent an embedded object belongs to, where its own data may lack it
#: (OParl 1.0 leaves out ``Membership.person``, ``AgendaItem.meeting`` and
#: ``Consultation.paper`` in embedded objects).
PARENT_PROPERTY = {
    "Membership": "person",
    "AgendaItem": "meeting",
    "Consultation": "paper",
}

#: References that lead to objects we store: type → (property, target type).
#: Targets that no list delivered are fetched one by one after the lists.
REFERENCES = {
    "Body": (("location", "Location"),),
    "Organization": (
        ("location", "Location"),
        ("subOrganizationOf", "Organization"),
    ),
    "Person": (("location", "Location"),),
    "Membership": (
        ("person", "Person"),
        ("organization", "Organization"),
        ("onBehalfOf", "Organization"),
    ),
    "Meeting": (
        ("location", "Location"),
        ("organization", "Organization"),
        ("participant", "Person"),
    ),
    "AgendaItem": (("meeting", "Meeting"),),
    "Paper": (
        ("location", "Location"),
        ("originatorPerson", "Person"),
        ("originatorOrganization", "Organization"),
        ("underDirectionOf", "Organization"),
        ("relatedPaper", "Paper"),
        ("superordinatedPaper", "Paper"),
        ("subordinatedPaper", "Paper"),
    ),
    "Consultation": (
        ("paper", "Paper"),
        ("meeting", "Meeting"),
        ("agendaItem", "AgendaItem"),
        ("organization", "Organization"),
    ),
    "File": (("masterFile", "File"),),
}

#: Many-to-many fields and the property they come from:
#: type → (model field, property, target type).
MANY_TO_MANY = {
    "Meeting": (
        ("organizations", "organization", "Organization"),
        ("participants", "participant", "Person"),
    ),
    "Paper": (
        ("originator_persons", "originatorPerson", "Person"),
        ("originator_organizations", "originatorOrganization", "Organization"),
        ("under_direction_of", "underDirectionOf", "Organization"),
        ("locations", "location", "Location"),
        ("related_papers", "relatedPaper", "Paper"),
        ("superordinated_papers", "superordinatedPaper", "Paper"),
    ),
    "Consultation": (("organizations", "organization", "Organization"),),
}

#: References of a type to its own kind, set after all objects exist:
#: type → (model attribute, property).
SELF_REFERENCES = {
    "Organization": (("sub_organization_of_id", "subOrganizationOf"),),
    "File": (("master_file_id", "masterFile"),),
}
