"""The ``kflow`` command line: a thin ``main(argv=None) -> int`` over the public API.

Exit codes: 0 success, 1 analysis failed, 2 bad input or usage (one message on stderr, in terms
of the command's flags, no traceback), 130 interrupted. ``--debug`` prints the traceback of an
unexpected error.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

from kflow.cli.flags import in_flag_terms
from kflow.cli.parser import UsageError, build_parser
from kflow.cli.progress import progress_bar
from kflow.exceptions import KflowError

__all__ = ["main", "progress_bar"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

# kflow's errors about the input (files, tables, parameters, output folders) are ValueErrors or
# FileExistsErrors; any other KflowError means the analysis itself could not be done.
_INPUT_ERRORS = (ValueError, LookupError, FileExistsError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kflow`` command line and return its exit code.

    Examples
    --------
    >>> from kflow.cli import main
    >>> main(["validate", "no-such-file.csv", "--orientation", "asks"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("kflow: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_BAD_INPUT
        from kflow.cli.commands import COMMANDS

        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KflowError as exc:
        message = in_flag_terms(str(exc))
        if isinstance(exc, _INPUT_ERRORS):
            print(f"kflow: error: {message}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"kflow: analysis failed: {message}", file=sys.stderr)
        return EXIT_FAILED
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0)
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(f"kflow: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # an unexpected error still ends in one clear line
        if "--debug" in argv:
            traceback.print_exc()
        print(
            f"kflow: analysis failed: {type(exc).__name__}: {exc} (run with --debug for the "
            "traceback)",
            file=sys.stderr,
        )
        return EXIT_FAILED
