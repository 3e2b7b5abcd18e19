import datetime

import factory

from sessions.models import AgendaItem, Consultation, Meeting
from tests.documents.factories import PaperFactory
from tests.gremien.factories import BodyFactory, OrganizationFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"{n}. Sitzung des Rates")
    start = datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if not create:
            return
        self.organizations.set(
            extracted or [OrganizationFactory(body=self.body, kind="council")]
        )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda item: f"Ö {item.order}")
    name = factory.Sequence(lambda n: f"Tagesordnungspunkt {n}")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    paper = factory.SubFactory(PaperFactory)
    position = factory.Sequence(lambda n: n + 1)
    role = Consultation.Role.DECIDING

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)
