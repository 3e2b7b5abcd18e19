"""Run the benchmarks in ``bench/`` and print one table: ``make bench``.

Usage: ``.venv/bin/python bench/run.py [NAME ...]`` runs every ``bench_*.py``
module (or those whose name contains one of the NAMEs). Each module has a
``run() -> list[Measurement]``; a benchmark that fails is reported, the others
still run, and the exit status is non-zero.
"""

import argparse
import sys
import traceback

from harness import Measurement, iter_selected, load, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only benchmarks matching these")
    parser.add_argument("--list", action="store_true", help="list benchmarks and exit")
    args = parser.parse_args(argv)
    selected = list(iter_selected(args.names))
    if args.list:
        print("\n".join(selected))
        return 0
    results: list[Measurement] = []
    failed = False
    for name in selected:
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            results.extend(load(name).run())
        except Exception:  # noqa: BLE001 - report and continue with the others
            failed = True
            traceback.print_exc()
            results.append(Measurement(name, "FAILED", "see traceback above"))
    print(table(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
