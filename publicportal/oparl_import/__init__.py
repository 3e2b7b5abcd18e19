"""Import a body from another council information system's OParl 1.0/1.1 API.

``manage.py oparl_import <system-or-body-url>`` drives it. The steps, each in
a module of its own:

- :mod:`.client`: HTTP with timeouts, retries and German error messages;
- :mod:`.crawl`: System → Body → every list page, embedded objects taken out
  as objects of their own and *staged* (:class:`.models.ImportRecord`) page by
  page, with the position in each list stored after every page (resumable);
  references to objects that no list contained are fetched one by one;
- :mod:`.writer` with :mod:`.mapping`: the staged objects written into the
  council models in dependency order, in bulk per chunk, matched by original
  id (``external_id``) within the target body; references resolved by id at
  the end, so the order of lists and pages does not matter;
- :mod:`.runner`: runs (resume, restart, full or incremental with
  ``modified_since``), dry run, the summary (:mod:`.report`).

Imported data is public data: it was published by the source system.
This package is imported by ``publicportal.models`` (for its models), so it
imports nothing at package level.
"""
