"""ASGI entry point: HTTP through Django, websockets through Channels.

Websockets: the live-session screens (``sessions.routing``: staff, member,
projector) and the public live view (``publicportal.live``), behind the origin
check (``ALLOWED_HOSTS``) and the session login.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

if settings.DEBUG:
    # Daphne serves no static files; in development Django's finders do
    # (Wagtail admin CSS/JS). Production serves collected files another way.
    from django.contrib.staticfiles.handlers import (  # noqa: E402
        ASGIStaticFilesHandler,
    )

    django_asgi_app = ASGIStaticFilesHandler(django_asgi_app)

from publicportal.cache import PortalPageCache  # noqa: E402

# Anonymous portal pages are answered from the page cache before Django.
django_asgi_app = PortalPageCache(django_asgi_app)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from publicportal.live import (  # noqa: E402
    websocket_urlpatterns as public_websocket_urlpatterns,
)
from sessions.live.db import auth_middleware_stack  # noqa: E402
from sessions.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            auth_middleware_stack(
                URLRouter(websocket_urlpatterns + public_websocket_urlpatterns)
            )
        ),
    }
)
