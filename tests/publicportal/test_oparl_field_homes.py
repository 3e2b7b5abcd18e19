"""Every property of every OParl 1.1 object type has a home in our models."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from publicportal.api.fields import COMMON, CONSTANT, LIST, OPARL_FIELDS, URL

SCHEMA_DIR = (
    Path(__file__).resolve().parents[3] / "shared" / "oparl" / "spec-1.1" / "schema"
)
DERIVED = {URL, LIST, CONSTANT}


def schema_properties(oparl_type: str) -> set[str]:
    schema = json.loads((SCHEMA_DIR / f"{oparl_type}.json").read_text())
    return set(schema["properties"])


def has_attribute(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return hasattr(model, name)
    return True


@pytest.mark.skipif(
    not SCHEMA_DIR.exists(), reason="shared/oparl is not beside the repo"
)
@pytest.mark.parametrize("oparl_type", sorted(OPARL_FIELDS))
def test_every_oparl_property_is_mapped_to_an_existing_attribute(oparl_type):
    model_label, mapping = OPARL_FIELDS[oparl_type]
    model = apps.get_model(model_label)
    table = {**COMMON, **mapping}

    missing = schema_properties(oparl_type) - set(table)
    assert missing == set(), f"{oparl_type}: no home for {sorted(missing)}"

    dangling = {
        prop: path
        for prop, path in table.items()
        if path not in DERIVED and not has_attribute(model, path)
    }
    assert dangling == {}, f"{oparl_type}: mapped to nothing: {dangling}"
