import uuid

from django.db import migrations


def give_each_meeting_its_own_uid(apps, schema_editor):
    """The column default gave every existing row the same value."""
    Meeting = apps.get_model("meetings", "Meeting")
    for pk in Meeting.objects.values_list("pk", flat=True).iterator():
        Meeting.objects.filter(pk=pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_agendaitem_addendum_agendaitem_addendum_at_and_more"),
    ]

    operations = [
        migrations.RunPython(give_each_meeting_its_own_uid, migrations.RunPython.noop),
    ]
