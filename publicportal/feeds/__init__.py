"""The portal's machine-readable outputs: iCalendar (``ical``), RSS and Atom
(``syndication``) and the sitemap (``sitemap``). Each reads only through
``publicportal.visibility``; ``publicportal.views.feeds`` serves them."""
