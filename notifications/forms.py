"""The settings form: one checkbox per topic and channel the member may
choose (the e-mail of the formal notices is not theirs to choose)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .topics import RULES, Choice


def field_name(topic: str, channel: str) -> str:
    return f"{topic}_{channel}"


class PreferencesForm(forms.Form):
    """Built from :data:`notifications.topics.RULES`; ``initial`` comes from
    ``selectors.preferences``."""

    def __init__(self, *args, choices: dict[str, Choice], **kwargs):
        super().__init__(*args, **kwargs)
        for topic, rule in RULES.items():
            choice = choices[topic]
            self.fields[field_name(topic, "in_app")] = forms.BooleanField(
                label=_("Show in the member portal"),
                required=False,
                initial=choice.in_app,
            )
            if not rule.formal_email:
                self.fields[field_name(topic, "email")] = forms.BooleanField(
                    label=_("Send me an e-mail"),
                    required=False,
                    initial=choice.email,
                )

    def topics(self):
        """Per topic: its rule and its bound fields, for the template."""
        for topic, rule in RULES.items():
            email = field_name(topic, "email")
            yield {
                "topic": topic,
                "label": rule.topic.label,
                "help": rule.help,
                "formal_email": rule.formal_email,
                "in_app": self[field_name(topic, "in_app")],
                "email": self[email] if email in self.fields else None,
            }

    def choices(self) -> dict[str, Choice]:
        data = self.cleaned_data
        return {
            topic: Choice(
                in_app=data[field_name(topic, "in_app")],
                email=data.get(field_name(topic, "email"), True),
            )
            for topic in RULES
        }
