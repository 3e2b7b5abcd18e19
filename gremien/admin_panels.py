"""Small panel helpers shared by the admin viewsets of all apps."""

from wagtail.admin.panels import FieldPanel


class AssignedFieldPanel(FieldPanel):
    """A read-only field filled in by a service (reference number, state).

    Hidden on the create form, where it has no value yet.
    """

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(self.instance is not None and self.instance.pk) and (
                super().is_shown()
            )
