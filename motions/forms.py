"""Forms of the motion pages. They only parse input; the services check it
(and their refusals are shown on the fields they name)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.models import PaperType
from gremien.models import Organization

from .models import MOTION_TYPES, TITLE_MAX_LENGTH
from .services import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH


class AccessibleForm(forms.Form):
    """Fields with errors point at their message (``aria-describedby``) next
    to their help text; Django marks them ``aria-invalid`` itself."""

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_errors()

    def describe_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def add_refusal(self, error: ValidationError) -> None:
        """Show a service's refusal: on its fields where it names ours, else
        above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self.describe_errors()

    def error_summary(self) -> list[tuple[str, str, str]]:
        """``(anchor id, label, message)`` for each error, form errors first."""
        rows = [("", "", message) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name in self.fields:
                bound = self[name]
                anchor = bound.auto_id
                if isinstance(self.fields[name].widget, forms.RadioSelect):
                    anchor = f"{bound.auto_id}_0"
                rows += [(anchor, bound.label, message) for message in errors]
        return rows


class MotionForm(AccessibleForm):
    """The text of a motion. ``fractions`` are the author's fractions (a
    choice only when there are several, and only for a new motion);
    ``organizations`` those the motion may address."""

    fraction = forms.ModelChoiceField(
        label=_("Fraction"),
        queryset=Organization.objects.none(),
        empty_label=None,
    )
    paper_type = forms.ChoiceField(
        label=_("Kind"),
        choices=MOTION_TYPES,
        initial=PaperType.MOTION,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether it is a motion, an amendment or an inquiry.")
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Please enter a title.")},
    )
    addressed_to = forms.ModelChoiceField(
        label=_("To be consulted first in"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("– left to the council office –"),
        help_text=_("The council or committee that is to deal with it first."),
    )
    proposal = forms.CharField(
        label=_("Proposed resolution"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What the council is to decide; for an inquiry, your questions. "
            "A blank line starts a new paragraph."
        ),
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fractions, organizations, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = organizations
        if editing or len(fractions) == 1:
            del self.fields["fraction"]
        else:
            self.fields["fraction"].queryset = Organization.objects.filter(
                pk__in=[fraction.pk for fraction in fractions]
            ).order_by("name")
        if not editing:
            del self.fields["revision"]
        else:
            self.fields["revision"].required = True

    def text(self) -> dict:
        """The cleaned text as the services take it."""
        data = self.cleaned_data
        return {
            "paper_type": data["paper_type"],
            "title": data["title"],
            "addressed_to": data.get("addressed_to"),
            "proposal": data.get("proposal", ""),
            "reasoning": data.get("reasoning", ""),
        }

    def take_over(self, text: dict, *, keep: list[str]) -> None:
        """Put ``text`` (a merged text, keyed like ``TEXT_FIELDS``) into the
        form, except the fields ``keep``: those stay as the author typed."""
        data = self.data.copy()
        for name, value in text.items():
            if name in keep:
                continue
            field = "addressed_to" if name == "addressed_to_id" else name
            data[field] = "" if value is None else str(value)
        self.data = data

    def set_revision(self, revision: int) -> None:
        """Base the next save on ``revision`` (after the author has seen it),
        keeping everything else as typed."""
        data = self.data.copy()
        data["revision"] = str(revision)
        self.data = data


class CommentForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your comment for the fraction"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a comment.")},
    )


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the paper and sent to the council office."),
    )

    def __init__(self, *args, submitted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if submitted:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Say why the paper is withdrawn; the reason is recorded."
            )
        else:
            self.fields["reason"].help_text = _(
                "Optional: for your colleagues. The draft stays in the list as "
                "discarded."
            )
