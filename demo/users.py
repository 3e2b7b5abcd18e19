"""Demo logins: a superuser, one Sitzungsdienst user per body, some members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from gremien.models import StaffAccess

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - documented demo login, never production
STAFF_GROUP = "Sitzungsdienst"
#: member logins are created for the named bodies only
MEMBER_BODIES = ("auenwald", "lindenfeld", "birkenbach")


@transaction.atomic
def create_demo_users(seeded) -> list[tuple[str, str]]:
    """Create the demo users; returns (username, description) for the summary.

    The group ``Sitzungsdienst`` normally comes with its permissions from a data
    migration; if it is missing it is created empty (permissions are not ours
    to decide here). Existing users are left untouched, password included.
    """
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    logins = []
    admin, _ = user_model.objects.get_or_create(
        username="admin",
        defaults={
            "email": "admin@gremienportal.example",
            "is_staff": True,
            "is_superuser": True,
            "password": password,
        },
    )
    logins.append((admin.username, "Superuser, alle Körperschaften"))
    for entry in seeded:
        body = entry.body
        staff, _ = user_model.objects.get_or_create(
            username=f"sitzungsdienst-{body.slug}",
            defaults={
                "email": f"sitzungsdienst@{entry.spec.domain}",
                "first_name": "Sitzungsdienst",
                "last_name": body.short_name,
                "is_staff": True,
                "password": password,
            },
        )
        staff.groups.add(group)
        StaffAccess.objects.get_or_create(user=staff, body=body)
        logins.append((staff.username, f"Sitzungsdienst {body.name}"))
        if body.slug in MEMBER_BODIES and entry.council_members:
            person = entry.council_members[0]
            member, _ = user_model.objects.get_or_create(
                username=f"mitglied-{body.slug}",
                defaults={
                    "email": person.email[0] if person.email else "",
                    "first_name": person.given_name,
                    "last_name": person.family_name,
                    "password": password,
                },
            )
            person.user = member
            person.save(update_fields=["user", "modified"])
            logins.append((member.username, f"Ratsmitglied {person.name}"))
    return logins
