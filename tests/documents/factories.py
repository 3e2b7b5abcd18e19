import datetime

import factory

from documents.models import Paper
from documents.services import paper_create
from tests.gremien.factories import BodyFactory


class PaperFactory(factory.Factory):
    """Papers are created as the Sitzungsdienst does: through ``paper_create``."""

    class Meta:
        model = Paper

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Beschlussvorlage {n}")
    date = datetime.date(2026, 3, 12)

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return paper_create(actor=actor, **kwargs)
