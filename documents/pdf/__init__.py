"""PDF documents: HTML templates and print CSS rendered by WeasyPrint.

``render`` turns a template into a tagged PDF (PDF/UA-1, or PDF/A-3b for
archival minutes); ``fetcher`` is the only way a document reaches other
files: the project's own static and media files, never the network.
"""
