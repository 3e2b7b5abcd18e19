"""Views of the sign-in (``signin``), the security page (``security``) and
the password reset (``password_reset``)."""
