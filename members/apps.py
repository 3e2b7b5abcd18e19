from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """The member portal (Mandatsträgerportal): dashboard, meetings with their
    non-public part, documents, private notes, offline reading, motions and
    notifications for council members, deputies and citizen members."""

    name = "members"
    verbose_name = _("Member portal")
