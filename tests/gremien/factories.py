import datetime

import factory
from django.contrib.auth import get_user_model

from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
    StaffAccess,
)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Stadt Musterstadt {n}")
    short_name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    classification = Body.Classification.CITY


class LegislativeTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegislativeTerm

    body = factory.SubFactory(BodyFactory)
    name = "Wahlperiode 2021–2026"
    start_date = datetime.date(2021, 11, 1)
    end_date = datetime.date(2026, 10, 31)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    body = factory.SubFactory(BodyFactory)
    description = "Rathaus, Ratssaal"
    street_address = "Marktplatz 1"
    postal_code = "12345"
    locality = "Musterstadt"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Ausschuss {n}")
    kind = Organization.Kind.COMMITTEE
    start_date = datetime.date(2021, 11, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(BodyFactory)
    given_name = factory.Sequence(lambda n: f"Erika{n}")
    family_name = factory.Sequence(lambda n: f"Mustermann{n}")
    form_of_address = "Frau"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(
        PersonFactory, body=factory.SelfAttribute("..organization.body")
    )
    role = "Mitglied"
    start_date = datetime.date(2021, 11, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-passwort-123")


class StaffAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAccess

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(BodyFactory)


def sitzungsdienst_group():
    """The group the migrations create. A transactional test's flush deletes
    it (the permissions come back with post_migrate); then it is rebuilt from
    the migrations' own permission lists, so tests do not depend on the order
    they run in."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name="Sitzungsdienst")
    if created:
        staff = importlib.import_module("gremien.migrations.0002_staff_group")
        work = importlib.import_module(
            "sessions.migrations.0005_sitzungsdienst_permissions"
        )
        wanted = set(staff._codenames()) | {
            (app_label, f"{action}_{model}")
            for app_label, models in work.MODELS.items()
            for model in models
            for action in work.ACTIONS
        }
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
    return group


def staff_of(*bodies):
    """A Sitzungsdienst user (group and StaffAccess) working on ``bodies``."""
    user = UserFactory()
    user.groups.add(sitzungsdienst_group())
    for body in bodies:
        StaffAccessFactory(user=user, body=body)
    return user
