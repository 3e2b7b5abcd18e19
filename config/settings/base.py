"""Base settings: run with no environment variables at all (embedded defaults)."""

from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR

SECRET_KEY = env.env_str(
    "DJANGO_SECRET_KEY", "insecure-development-key-only-for-local-use"
)
DEBUG = env.env_bool("DJANGO_DEBUG", False)
# Every body's portal has its own host name; *.localhost for the demo bodies.
ALLOWED_HOSTS = env.env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", ".localhost"]
)
CSRF_TRUSTED_ORIGINS = env.env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # project apps first so their templates and translations win
    "gremien",
    "documents",
    "sessions.apps.MeetingsConfig",
    "accounts",
    "publicportal",
    "reader",
    "motions",
    "notifications",
    "members",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    # second factor (TOTP)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "taggit",
    # background tasks
    "django_tasks",
    "django_tasks_db",
    # realtime
    "daphne",
    "channels",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before everything that costs (sessions, Wagtail's redirect query): a
    # cached page is answered here; the language comes from the address.
    "publicportal.cache.PortalPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.AdminSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {"default": env.database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CHANNEL_LAYERS = env.channel_layers_config()
CACHES = env.cache_config()
WAGTAILSEARCH_BACKENDS = env.search_config()
globals().update(env.email_config())
DEFAULT_FROM_EMAIL = env.env_str(
    "DJANGO_DEFAULT_FROM_EMAIL", "sitzungsdienst@localhost"
)

TASK_QUEUES = ["default", "pdf", "mail", "index"]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
}

_PW = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PW}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_PW}.MinimumLengthValidator"},
    {"NAME": f"{_PW}.CommonPasswordValidator"},
    {"NAME": f"{_PW}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # PDF.js for the member portal's reader, from npm (package.json; `npm ci`).
    ("pdfjs", BASE_DIR / "node_modules" / "pdfjs-dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded documents of council sessions are often large scans.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
GREMIEN_MAX_UPLOAD_BYTES = 200 * 1024 * 1024

WAGTAIL_SITE_NAME = "Gremienportal"
WAGTAILADMIN_BASE_URL = env.env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "docx",
    "xlsx",
    "ods",
    "txt",
    "csv",
    "png",
    "jpg",
]
# No third-party requests from a council portal: no update check, no Gravatar.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = False

# --- sign-in (accounts; reasons in docs/decisions.md) ---------------------------
# One sign-in for members and staff: the Wagtail admin sends to it too, so
# staff get the same lock-out and second factor.
AUTHENTICATION_BACKENDS = ["accounts.backends.SessionEpochBackend"]
LOGIN_URL = "accounts_login"
WAGTAILADMIN_LOGIN_URL = "accounts_login"
# Where a sign-in without ``next`` ends for users without admin access
# (staff go to the admin).
LOGIN_REDIRECT_URL = "members_dashboard"
# A signed-in session ends after this many minutes without a request ...
GREMIEN_SESSION_IDLE_MINUTES = env.env_int("GREMIEN_SESSION_IDLE_MINUTES", 60)
# ... and at the latest this long after the sign-in (seconds; 12 hours: a
# long council day, not the next one).
SESSION_COOKIE_AGE = env.env_int("GREMIEN_SESSION_MAX_HOURS", 12) * 60 * 60
# Failed passwords or codes per account within the window lock the account
# for GREMIEN_SIGNIN_LOCK_MINUTES; per client address the limit is higher
# (a council chamber's Wi-Fi puts a room of tablets behind one address).
GREMIEN_SIGNIN_MAX_FAILURES = 5
GREMIEN_SIGNIN_FAILURE_WINDOW_MINUTES = 15
GREMIEN_SIGNIN_LOCK_MINUTES = 15
GREMIEN_SIGNIN_MAX_FAILURES_PER_ADDRESS = 50
# Time between the password and the code (minutes), and for setting up an
# authenticator app at the sign-in.
GREMIEN_SIGNIN_PENDING_MINUTES = 5
GREMIEN_SIGNIN_SETUP_MINUTES = 15
# Password reset: the link is valid for two hours; at most this many requests
# per client address and e-mails per address and hour.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
GREMIEN_PASSWORD_RESETS_PER_ADDRESS = 10
GREMIEN_PASSWORD_RESETS_PER_EMAIL = 3
# Wagtail's own password change and reset are replaced by ours
# (/konto/sicherheit/passwort/, /konto/passwort-vergessen/): same lock-out.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# The name authenticator apps show next to the user name.
OTP_TOTP_ISSUER = env.env_str("GREMIEN_OTP_ISSUER", "Gremienportal")

# Anonymous portal pages are cached this long at most, and never past local
# midnight (lists of upcoming meetings change with the date; see
# publicportal.cache); every saved change makes them stale at once, so the
# limit only bounds changes made without model signals. 0 switches it off.
GREMIEN_PAGE_CACHE_SECONDS = env.env_int("GREMIEN_PAGE_CACHE_SECONDS", 3600)

# OParl 1.1 API: the address of its System object (e.g. behind a proxy that
# rewrites the host); empty: the address each request came in on. A URL
# without a path gets /oparl/v1.1/ appended.
GREMIEN_OPARL_BASE_URL = env.env_str("OPARL_BASE_URL", "")
# Contact for the OParl interface (System contactEmail/contactName); empty: none.
GREMIEN_OPARL_CONTACT_EMAIL = env.env_str("OPARL_CONTACT_EMAIL", "")
GREMIEN_OPARL_CONTACT_NAME = env.env_str("OPARL_CONTACT_NAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every page at INFO
        "weasyprint.progress": {"level": "WARNING"},
    },
}
