"""The public rules of meeting documents and session packs.

``sessions.pdf.selection`` chooses the contents of invitations, agendas and
session packs; what of it the public may see comes from here, i.e. from
:mod:`publicportal.visibility` (registered in ``PublicPortalConfig.ready``).
"""

from django.db.models import Q

from sessions.models import Meeting

from . import visibility


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


class VisibilityRules:
    def agenda_public(self, meeting: Meeting) -> bool:
        return visibility.is_public(meeting) and visibility.agenda_published(meeting)

    def item_ids(self, meeting: Meeting) -> set[int]:
        return _ids(visibility.public_agenda_items(meeting))

    def paper_ids(self, meeting: Meeting) -> set[int]:
        return _ids(
            visibility.public_papers(meeting.body_id).filter(
                consultations__meeting=meeting
            )
        )

    def file_ids(self, meeting: Meeting) -> set[int]:
        return _ids(
            visibility.public_files(meeting.body_id).filter(
                Q(paper__consultations__meeting=meeting)
                | Q(agenda_item__meeting=meeting)
                | Q(meeting=meeting)
            )
        )

    def organization_ids(self, meeting: Meeting) -> set[int]:
        return _ids(visibility.public_organizations().filter(meetings=meeting))

    def consultation_ids(self, meeting: Meeting) -> set[int]:
        return _ids(
            visibility.public_consultations().filter(
                paper__consultations__meeting=meeting
            )
        )
