"""PDF documents of meetings: invitation, agenda, minutes, resolution extract
(``documents``: rendering; here: what goes into them) and session packs."""
