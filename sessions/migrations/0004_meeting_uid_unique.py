import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from the data step: PostgreSQL refuses ALTER TABLE with pending
    # trigger events from updates in the same transaction.

    dependencies = [
        ("meetings", "0003_meeting_uid_values"),
    ]

    operations = [
        migrations.AlterField(
            model_name='meeting',
            name='uid',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable identity of the meeting in calendar invitations.', unique=True, verbose_name='calendar UID'),
        ),
    ]
