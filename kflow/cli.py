"""The ``kflow`` command line: a thin ``main(argv=None) -> int`` over the public API.

Exit codes: 0 success, 1 analysis failed, 2 bad input or usage (one message on stderr, no
traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kflow import vocabulary as V
from kflow.exceptions import KflowError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors by raising instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _add_survey_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ties", help="ties file (edge list or roster matrix), or a kflow folder")
    p.add_argument(
        "--orientation",
        choices=V.ORIENTATIONS,
        help="asks: respondent names the firms it turns to; gives: firms it gave "
        "knowledge to; flow: columns hold source -> target",
    )
    p.add_argument("--firms", help="firms table: firm_id, name, respondent, attributes")
    p.add_argument(
        "--external", help="external ties: firm_id, actor, actor_type, direction, weight"
    )
    p.add_argument("--layout", choices=V.LAYOUTS, default="auto")
    p.add_argument("--source", help="column of the respondent / source firm")
    p.add_argument("--target", help="column of the named / target firm")
    p.add_argument("--weight", help="column of the tie value")
    p.add_argument("--relation", help="column naming the relation")
    p.add_argument("--wave", help="column naming the wave")
    p.add_argument(
        "--scale",
        nargs=2,
        type=float,
        metavar=("MIN", "MAX"),
        help="answer scale, e.g. 0 3; values outside are an error",
    )
    p.add_argument("--duplicates", choices=V.DUPLICATE_POLICIES, default="error")
    p.add_argument("--missing", choices=V.MISSING_TREATMENTS, default="nan")
    p.add_argument(
        "--add-unknown-firms",
        action="store_true",
        help="add firms named in ties but missing from the firms table",
    )
    p.add_argument("--encoding", help="text encoding (default: detected)")
    p.add_argument("--sep", help="delimiter (default: detected)")


def _read(args: argparse.Namespace):
    from kflow.io.reader import read_survey

    return read_survey(
        args.ties,
        orientation=args.orientation,
        firms=args.firms,
        external=args.external,
        layout=args.layout,
        source=args.source,
        target=args.target,
        weight=args.weight,
        relation=args.relation,
        wave=args.wave,
        scale=tuple(args.scale) if args.scale else None,
        duplicates=args.duplicates,
        missing=args.missing,
        add_unknown_firms=args.add_unknown_firms,
        encoding=args.encoding,
        sep=args.sep,
    )


def _validate(args: argparse.Namespace) -> int:
    survey = _read(args)
    print(survey.validation.summary())
    print(
        f"\n{survey.n_firms} firms, {len(survey.ties)} knowledge ties "
        f"(relations: {', '.join(survey.relations)}"
        + (f"; waves: {', '.join(survey.waves)}" if survey.waves else "")
        + f"), {len(survey.external)} external ties."
    )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    from kflow import __version__

    parser = _Parser(prog="kflow", description="Knowledge flows between firms in a cluster.")
    parser.add_argument("--version", action="version", version=f"kflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("validate", help="read a survey and print its validation report")
    _add_survey_arguments(p)
    p.set_defaults(run=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kflow`` command line and return its exit code.

    Examples
    --------
    >>> from kflow.cli import main
    >>> main(["validate", "no-such-file.csv", "--orientation", "asks"])
    2
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_BAD_INPUT
        return args.run(args)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KflowError as exc:
        print(f"kflow: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0)
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        sys.stderr.close()
        return EXIT_OK
