"""Command line: ``python -m nkreport check|build|clean``.

Bad data prints one line per problem (file, row, column, expected, found) and exits 1;
a failed build prints one line naming the notebook and cell and exits 1. Either way
notebooks/, figures/ and report/ are left as they were.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .errors import BuildError, DataError

EXIT_BAD_DATA = 1
EXIT_BUILD_FAILED = 1
EXIT_INTERRUPTED = 130


def _terminate(signum, frame):
    # SIGTERM ends the build the way Ctrl-C does: temporary files are removed on the way out.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nkreport", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate data/ against data/datapackage.json")
    p_check.add_argument("--data-dir", type=Path, default=None)
    p_build = sub.add_parser("build", help="check data, execute notebooks, write figures/ and report/")
    p_build.add_argument("--jobs", type=int, default=0, help="notebooks run at once (default: one per core)")
    p_build.add_argument("--no-cache", action="store_true", help="execute every notebook")
    p_build.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    p_build.add_argument("--data-dir", type=Path, default=None, help="build from another copy of data/")
    p_build.add_argument("--root", type=Path, default=None, help="the project folder (default: this checkout)")
    sub.add_parser("clean", help="remove caches so the next build is a clean one")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "check":
            from .data import check

            report = check(args.data_dir)
            for note in report.notes:
                print(f"note: {note}", file=sys.stderr)
            for problem in report.problems:
                print(problem, file=sys.stderr)
            if report.problems:
                print(f"{len(report.problems)} problem(s) in the data; nothing was built.", file=sys.stderr)
                return EXIT_BAD_DATA
            print("data/ is valid.")
            return 0
        if args.command == "build":
            from . import build, paths

            if args.data_dir:
                os.environ["NKREPORT_DATA_DIR"] = str(args.data_dir.resolve())
            opts = build.BuildOptions(
                root=(args.root or paths.ROOT).resolve(),
                data_dir=args.data_dir.resolve() if args.data_dir else None,
                jobs=args.jobs,
                use_cache=not args.no_cache,
                pdf=not args.no_pdf,
                timeout=int(os.environ.get(build.CELL_TIMEOUT_ENV, build.DEFAULT_CELL_TIMEOUT)),
            )
            return build.build(opts)
        if args.command == "clean":
            from . import build

            build.clean()
            print("caches removed.")
            return 0
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) in the data; nothing was built, report/ is unchanged.", file=sys.stderr)
        return EXIT_BAD_DATA
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        print("nothing was changed in notebooks/, figures/ or report/.", file=sys.stderr)
        return EXIT_BUILD_FAILED
    except KeyboardInterrupt:
        print("build interrupted; nothing was changed in notebooks/, figures/ or report/.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 2


if __name__ == "__main__":
    sys.exit(main())
