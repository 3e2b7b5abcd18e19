"""Create the group "Sitzungsdienst" for administration staff.

Members get admin access and add/change/delete/view on the domain models.
Which body's data they see is decided by their StaffAccess rows, not here.
"""

from django.db import migrations

GROUP_NAME = "Sitzungsdienst"

DOMAIN_MODELS = {
    "gremien": [
        "legislativeterm",
        "organization",
        "person",
        "membership",
        "location",
    ],
    "documents": ["paper", "file"],
    "meetings": ["meeting", "agendaitem", "consultation"],
}
ACTIONS = ("add", "change", "delete", "view")
# A body is a tenant: created and removed by the operator (superuser) only.
BODY_ACTIONS = ("change", "view")


def _ensure_permissions(apps):
    """Permissions are normally created after migrate; this migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for label in ("gremien", "documents", "meetings"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _codenames():
    yield "wagtailadmin", "access_admin"
    for action in BODY_ACTIONS:
        yield "gremien", f"{action}_body"
    for app_label, models in DOMAIN_MODELS.items():
        for model in models:
            for action in ACTIONS:
                yield app_label, f"{action}_{model}"


def create_group(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in _codenames():
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gremien", "0001_initial"),
        ("documents", "0002_initial"),
        ("meetings", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
