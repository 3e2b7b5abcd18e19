"""``manage.py oparl_import <system-or-body-url>``: take over a body from
another council information system through its OParl 1.0/1.1 interface."""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from publicportal.oparl_import.client import FetchError
from publicportal.oparl_import.report import render
from publicportal.oparl_import.runner import ImportOptions, ImportProblem, run_import


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Imports a body from another system's OParl 1.0 or 1.1 interface: "
            "all organizations, persons, meetings, papers and files, as public "
            "data. Repeated runs update it (only changes since the last run); an "
            "interrupted run continues where it stopped."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", help=_("Address of the OParl system or of one body.")
        )
        parser.add_argument(
            "--body",
            dest="body_id",
            default="",
            help=_("Original id of the body, if the system has several."),
        )
        parser.add_argument(
            "--into",
            default="",
            help=_(
                "Short name (slug) of an existing body to import into; "
                "default: a body created from the source."
            ),
        )
        parser.add_argument(
            "--files",
            action="store_true",
            help=_("Download file contents (default: link to the source's address)."),
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help=_("Read everything, not only changes since the last run."),
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help=_("Start an interrupted run over instead of continuing it."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Read and compare everything, save nothing."),
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help=_("No progress bar."),
        )
        parser.add_argument(
            "--retries",
            type=int,
            default=5,
            help=_("Retries per request after a network or server error."),
        )
        parser.add_argument(
            "--backoff",
            type=float,
            default=1.0,
            help=_("Seconds before the first retry; doubled each time."),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=60.0,
            help=_("Seconds to wait for an answer."),
        )
        parser.add_argument(
            "--max-file-size",
            type=int,
            default=100,
            help=_("Largest file content to download, in MB."),
        )

    def handle(self, *args, **options):
        settings = ImportOptions(
            url=options["url"].strip(),
            body_id=options["body_id"].strip(),
            into=options["into"].strip(),
            files=options["files"],
            full=options["full"],
            restart=options["restart"],
            dry_run=options["dry_run"],
            progress=not options["no_progress"],
            retries=max(0, options["retries"]),
            backoff=max(0.0, options["backoff"]),
            timeout=max(1.0, options["timeout"]),
            max_file_mb=max(1, options["max_file_size"]),
        )
        # urllib3 logs each retry in English; the final outcome is reported.
        logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
        try:
            result = run_import(settings)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from None
        except FetchError as error:
            raise CommandError(self._stopped(str(error), settings)) from None
        except KeyboardInterrupt:
            raise CommandError(
                self._stopped(_("Interrupted."), settings), returncode=130
            ) from None
        self.stdout.write(self._report(result))

    def _stopped(self, reason: str, settings: ImportOptions) -> str:
        if settings.dry_run:
            return _("The import stopped: %(reason)s") % {"reason": reason}
        return _(
            "The import stopped: %(reason)s The pages read so far are saved; run "
            "the same command again to continue where it stopped."
        ) % {"reason": reason}

    def _report(self, result) -> str:
        summary = result.summary
        lines = [
            _("OParl import into “%(body)s” (%(slug)s)")
            % {"body": result.body.name, "slug": result.body.slug},
        ]
        if result.run.modified_since is not None:
            since = timezone.localtime(result.run.modified_since)
            lines.append(
                _("Changes since %(since)s.")
                % {"since": formats.date_format(since, "DATETIME_FORMAT")}
            )
        if result.resumed:
            lines.append(_("An interrupted run was continued."))
        lines += ["", render(summary), ""]
        rate = summary.objects / result.seconds if result.seconds else 0
        lines.append(
            _(
                "%(objects)s objects from %(pages)s pages and %(requests)s requests "
                "in %(seconds).1f s (%(rate).0f objects per second)."
            )
            % {
                "objects": summary.objects,
                "pages": result.run.pages,
                "requests": result.requests,
                "seconds": result.seconds,
                "rate": rate,
            }
        )
        if result.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        return "\n".join(lines)
