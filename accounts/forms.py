"""Forms of the sign-in pages. They validate what was typed; checking the
password or the code is the views' call to ``signin``/``services``, which
also count failures."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .tasks import password_reset_mail_send
from .totp import TOKEN_PATTERN, clean_token


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("Please enter your user name.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password.")},
    )


class CodeForm(forms.Form):
    """The six-digit code of an authenticator app."""

    code = forms.CharField(
        label=_("Six-digit code"),
        help_text=_(
            "Open your authenticator app and enter the code currently shown "
            "for this portal. It changes every 30 seconds."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "size": 8,
                "class": "mp-code-input",
            }
        ),
        error_messages={"required": _("Please enter the six-digit code.")},
    )

    def clean_code(self) -> str:
        code = clean_token(self.cleaned_data["code"])
        if not TOKEN_PATTERN.match(code):
            raise forms.ValidationError(
                _("The code consists of exactly six digits, e.g. 123456."),
                code="malformed",
            )
        return code


class PasswordConfirmForm(forms.Form):
    """The current password, before changing the second factor."""

    password = forms.CharField(
        label=_("Your current password"),
        help_text=_("For your security, please confirm it is you."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your current password.")},
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with the autocomplete hints password managers need."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form; the e-mail is rendered now (German, with the link) and
    sent by the mail queue after the commit, so that the answer takes as
    long whether or not the address belongs to an account."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter a valid e-mail address, e.g. name@example.org."),
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(
            loader.render_to_string(subject_template_name, context).splitlines()
        )
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(
            lambda: password_reset_mail_send.enqueue(
                to=to_email, subject=subject, body=body
            )
        )
