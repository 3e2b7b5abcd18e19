from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import signin as accounts_signin
from accounts.views.signin import AdminLoginRedirect
from gremien.admin_scoping import ScopedLogEntriesView

urlpatterns = [
    # Wagtail's site history lists every object's log; staff see only their bodies'.
    path("admin/reports/site-history/", ScopedLogEntriesView.as_view()),
    path(
        "admin/reports/site-history/results/",
        ScopedLogEntriesView.as_view(results_only=True),
    ),
    # One sign-in for staff and members (lock-out, second factor): Wagtail's
    # own sign-in, sign-out and password reset addresses lead to ours.
    path("admin/login/", AdminLoginRedirect.as_view()),
    path("admin/logout/", accounts_signin.sign_out),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="accounts_password_reset"),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("accounts.urls")),
    path("mitglieder/dokumente/", include("reader.urls")),
    path("mitglieder/antraege/", include("motions.urls")),
    path("mitglieder/benachrichtigungen/", include("notifications.urls")),
    path("mitglieder/", include("members.urls")),
    path("mappe/", include("sessions.packs.member_urls")),
    path("live/", include("sessions.live.urls")),
    # OParl 1.1, read-only: one address for every language (JSON, no UI).
    path("oparl/v1.1/", include("publicportal.api.urls")),
]

# The portal in German at /…, in English at /en/…: a language is part of the
# address, so pages can be cached, linked and switched without a cookie.
# Media is never served as plain files: council documents may be non-public,
# so every download goes through a view that checks visibility.
# Wagtail serves only addresses ending in a slash; the portal's file-like
# routes (/feeds/sitzungen.ics, /sitemap.xml, /dateien/1/plan.pdf) end in a
# name with a dot and go to the same page routing.
urlpatterns += i18n_patterns(
    re_path(
        r"^((?:[\w\-]+/)*[^/]+\.\w+)$",
        wagtail_views.serve,
        name="wagtail_serve_file",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A missing page on a portal site gets the portal's own 404 page (menu, search).
handler404 = "publicportal.views.home.page_not_found"
