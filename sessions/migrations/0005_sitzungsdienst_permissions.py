"""Give the group "Sitzungsdienst" the permissions on the models of the
Sitzungsdienst work (sign-offs, dispatches, minutes, attendance)."""

from django.db import migrations

GROUP_NAME = "Sitzungsdienst"
MODELS = {
    "documents": ["signoff"],
    "meetings": [
        "dispatch",
        "delivery",
        "minutes",
        "attendance",
        "itemminutes",
        "minutescorrection",
    ],
}
ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for label in MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, models in MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{a}_{m}" for m in models for a in ACTIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_meeting_uid_unique"),
        ("documents", "0003_signoff"),
        ("gremien", "0002_staff_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
