"""The reader client's texts, translated on the server and handed to the page
as JSON (``json_script``): the client has no catalogue of its own. Texts
with ``{name}`` are filled in by the client."""

from django.utils.translation import gettext as _


def client_texts() -> dict[str, str]:
    return {
        "loading": _("The document is loading …"),
        "loadFailed": _(
            "The document could not be loaded. Check the connection and reload "
            "the page."
        ),
        "pageOf": _("of {count}"),
        "pageLabel": _("Page {page} of {count}"),
        "page": _("Page {page}"),
        "goToPage": _("Go to page {page}"),
        "noNotes": _("No notes on this document yet."),
        "goneHeading": _("Notes on pages that no longer exist"),
        "goneHelp": _(
            "The current version of the document has fewer pages. These notes "
            "are kept; you can still read, change or delete them."
        ),
        "highlight": _("Highlight"),
        "note": _("Note"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "confirmDelete": _("Delete this note?"),
        "unsynced": _("not yet synchronised"),
        "syncFailed": _("could not be saved: {message}"),
        "pageChanged": _("Page has changed"),
        "pageGone": _("Page no longer exists"),
        "conflictCopy": _("Conflict copy"),
        "sharedWith": _("shared with {name}"),
        "sharedBy": _("from {author}, shared with {name}"),
        "readOnly": _("read only"),
        "private": _("Only for me (private)"),
        "shareOption": _("{name} (can read it)"),
        "noteFor": _("Note on page {page}"),
        "editNote": _("Change the note on page {page}"),
        "chars": _("{count} of {max} characters"),
        "tooLong": _(
            "The note is too long: at most {max} characters, yours has {count}. "
            "Please shorten it; nothing was saved."
        ),
        "textRequired": _("Please write the text of the note."),
        "selectFirst": _(
            "First select a passage of the text on the page, then press "
            "“Highlight selection”."
        ),
        "saved": _("Saved."),
        "savedOffline": _(
            "Saved on this device. It will be sent as soon as there is a connection."
        ),
        "deleted": _("Deleted."),
        "allSynced": _("All notes are saved."),
        "pending": _("{count} change(s) not yet synchronised"),
        "offline": _("Offline: notes are kept on this device."),
        "synced": _("Notes made offline have been synchronised."),
        "signedOut": _(
            "You are signed out. Please sign in again; your notes stay on this "
            "device until then."
        ),
        "withdrawn": _(
            "This document has been withdrawn or deleted. Your notes on it are "
            "kept; you find them in the export of your notes."
        ),
        "noAccess": _(
            "You no longer have access to this document. Your notes on it are "
            "kept in the export of your notes."
        ),
        "localOnly": _(
            "Notes that could not be saved stay on this device. Copy their text "
            "before you delete them."
        ),
        "colors": {
            "yellow": _("yellow"),
            "green": _("green"),
            "blue": _("blue"),
            "pink": _("pink"),
        },
    }
