"""What an import left in the database, comparable across bodies and runs."""

from collections import defaultdict

from django.db import models

from documents.models import File, Paper
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    OParlObject,
    Organization,
    Person,
)
from sessions.models import AgendaItem, Consultation, Meeting

IMPORTED_MODELS = (
    Location,
    LegislativeTerm,
    Organization,
    Person,
    Membership,
    Meeting,
    AgendaItem,
    Paper,
    Consultation,
    File,
)
#: Fields that differ between two imports of the same data by nature.
VOLATILE = {"id", "modified", "uid", "body"}


def objects(model, body: Body):
    return model.objects.for_bodies([body.pk])


def counts(body: Body) -> dict[str, int]:
    """Living objects per model."""
    return {m.__name__: objects(m, body).alive().count() for m in IMPORTED_MODELS}


def stamps(body: Body) -> dict[tuple[str, str], object]:
    """``modified`` of every imported object, by model and original id."""
    return {
        (m.__name__, external_id): modified
        for m in IMPORTED_MODELS
        for external_id, modified in objects(m, body).values_list(
            "external_id", "modified"
        )
    }


def content(body: Body) -> dict[str, list[tuple]]:
    """Every imported object's fields, foreign keys and many-to-many
    relations as original ids, sorted: equal for two imports of the same
    data into different bodies."""
    result = {}
    for model in IMPORTED_MODELS:
        lookups = []
        for field in model._meta.concrete_fields:
            if field.name in VOLATILE:
                continue
            if isinstance(field, models.ForeignKey):
                if not issubclass(field.related_model, OParlObject):
                    continue  # a user account: never imported
                lookups.append(f"{field.name}__external_id")
            else:
                lookups.append(field.name)
        rows = {
            row[0]: list(row)
            for row in objects(model, body).values_list("external_id", *lookups)
        }
        related = defaultdict(list)
        for field in model._meta.many_to_many:
            for external_id, target in objects(model, body).values_list(
                "external_id", f"{field.name}__external_id"
            ):
                if target:
                    related[external_id].append((field.name, target))
        result[model.__name__] = sorted(
            (repr(row), sorted(related[key])) for key, row in rows.items()
        )
    return result
