"""The ``kflow`` command line: a thin ``main(argv=None) -> int`` over the public API.

Exit codes: 0 success, 1 analysis failed, 2 bad input or usage (one message on stderr, no
traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import KflowError, ParameterError, SurveyError

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


def _emit(table: pd.DataFrame, args: argparse.Namespace) -> int:
    """Write a result table as CSV, JSON or Parquet, to -o FILE or standard output."""
    fmt = args.format
    out = args.output
    if fmt == "parquet" and not out:
        raise _UsageError("kflow: --format parquet needs -o FILE")
    frame = table.reset_index() if table.index.name else table
    if fmt == "csv":
        text = frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    elif fmt == "json":
        text = frame.to_json(orient="records", double_precision=10, force_ascii=False) + "\n"
    else:
        frame.to_parquet(out, index=False)
        return EXIT_OK
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _measures(args: argparse.Namespace) -> int:
    from kflow.measures import centrality, external_openness

    survey = _read(args)
    table = centrality(survey, weighted=args.weighted).join(external_openness(survey))
    return _emit(table, args)


def _roles(args: argparse.Namespace) -> int:
    from kflow.roles import classify_roles, knowledge_positions

    survey = _read(args)
    threshold = float(args.threshold) if _is_number(args.threshold) else args.threshold
    roles = classify_roles(
        survey, local=args.local_axis, external=args.external_axis, threshold=threshold
    )
    table = roles.table.join(knowledge_positions(survey)[["position"]])
    print(roles.summary(), file=sys.stderr)
    return _emit(table, args)


def _brokerage(args: argparse.Namespace) -> int:
    from kflow.roles import brokerage

    survey = _read(args)
    result = brokerage(
        survey,
        args.groups,
        include_external=not args.no_external,
        n_simulations=args.simulations,
        seed=args.seed,
    )
    table = result.raw.join(result.z.add_suffix("_z"))
    if result.p_simulated is not None:
        table = table.join(result.p_simulated.add_suffix("_p"))
    return _emit(table, args)


def _link(args: argparse.Namespace) -> int:
    from kflow.outcomes import link_upgrading

    survey = _read(args)
    link = link_upgrading(survey, n_permutations=args.permutations, seed=args.seed)
    print(link.summary(), file=sys.stderr)
    return _emit(link.correlations, args)


def _progress(enabled: bool):
    """A text progress bar on stderr for the report's steps (shown only in a terminal)."""
    if not enabled:
        return None
    from kflow.reporting import N_STEPS

    total = N_STEPS
    done = [0]

    def show(message: str) -> None:
        done[0] = min(done[0] + 1, total)
        filled = round(20 * done[0] / total)
        bar = "#" * filled + "-" * (20 - filled)
        end = "\n" if done[0] == total else ""
        print(f"\r[{bar}] {done[0]}/{total} {message:<45}", end=end, file=sys.stderr, flush=True)

    return show


def _report(args: argparse.Namespace) -> int:
    survey = _read(args)
    return _write_report(survey, args)


def _write_report(survey, args: argparse.Namespace) -> int:
    from kflow.reporting import report

    out = report(
        survey,
        args.output,
        anonymize=args.anonymize,
        seed=args.seed,
        salt=args.salt,
        formats=tuple(args.formats),
        n_resamples=args.resamples,
        n_permutations=args.permutations,
        progress=_progress(sys.stderr.isatty()),
    )
    print(f"report written to {out / 'report.html'}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from kflow.datasets import DEMO, load_network

    return _write_report(load_network(DEMO), args)


def _datasets(args: argparse.Namespace) -> int:
    from kflow.datasets import list_datasets, load_dataset

    registry = list_datasets()
    if args.name is None:
        for name, row in registry.iterrows():
            size = (
                f"{row['n_firms']} firms, {row['n_ties']} ties"
                if row["kind"] == "network"
                else "table"
            )
            print(f"{name:32s} {row['kind']:8s} {size}")
        return EXIT_OK
    if args.name not in registry.index:
        load_dataset(args.name)  # raises, listing the valid names
    row = registry.loc[args.name]
    for key in (
        "kind",
        "orientation",
        "n_firms",
        "n_ties",
        "description",
        "source_publication",
        "where_obtained",
        "licence",
        "files",
    ):
        print(f"{key}: {row[key]}")
    return EXIT_OK


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("csv", "json", "parquet"), default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")


def _add_report_options(p: argparse.ArgumentParser, default_dir: str | None) -> None:
    p.add_argument(
        "-o",
        "--output",
        default=default_dir,
        required=default_dir is None,
        help="folder to write the report into",
    )
    p.add_argument(
        "--anonymize",
        action="store_true",
        help="replace firm names and ids by keyed pseudonyms everywhere",
    )
    p.add_argument("--salt", help="secret key of the pseudonyms (never written)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--formats", nargs="+", default=["html", "md", "csv"], choices=("html", "md", "csv", "json")
    )
    p.add_argument("--resamples", type=int, default=1000, help="role stability resamples")
    p.add_argument("--permutations", type=int, default=9999, help="permutations of the tests")


def _parser() -> argparse.ArgumentParser:
    from kflow import __version__

    parser = _Parser(prog="kflow", description="Knowledge flows between firms in a cluster.")
    parser.add_argument("--version", action="version", version=f"kflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("validate", help="read a survey and print its validation report")
    _add_survey_arguments(p)
    p.set_defaults(run=_validate)

    p = sub.add_parser("measures", help="centrality and external openness per firm")
    _add_survey_arguments(p)
    p.add_argument("--weighted", action="store_true", help="distances = 1 / weight")
    _add_output(p)
    p.set_defaults(run=_measures)

    p = sub.add_parser("roles", help="cognitive roles and knowledge positions per firm")
    _add_survey_arguments(p)
    p.add_argument("--local-axis", default="degree", help="local axis (a centrality column)")
    p.add_argument(
        "--external-axis",
        default="external_ties",
        help="external axis (an openness column or a numeric firm attribute)",
    )
    p.add_argument("--threshold", default="mean", help="mean, median or a number")
    _add_output(p)
    p.set_defaults(run=_roles)

    p = sub.add_parser("brokerage", help="Gould-Fernandez brokerage per firm")
    _add_survey_arguments(p)
    p.add_argument(
        "--groups", default="cluster", help="'cluster' (cluster/outside) or a firm attribute"
    )
    p.add_argument("--no-external", action="store_true", help="leave outside actors out")
    p.add_argument("--simulations", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    _add_output(p)
    p.set_defaults(run=_brokerage)

    p = sub.add_parser("link", help="network positions and upgrading (correlation table)")
    _add_survey_arguments(p)
    p.add_argument("--permutations", type=int, default=9999)
    p.add_argument("--seed", type=int, default=0)
    _add_output(p)
    p.set_defaults(run=_link)

    p = sub.add_parser("report", help="write the gatekeeper report")
    _add_survey_arguments(p)
    _add_report_options(p, None)
    p.set_defaults(run=_report)

    p = sub.add_parser("demo", help="the gatekeeper report on the bundled wine cluster")
    _add_report_options(p, "kflow-report")
    p.set_defaults(run=_demo)

    p = sub.add_parser("datasets", help="list the bundled datasets, or describe one")
    p.add_argument("name", nargs="?")
    p.set_defaults(run=_datasets)
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
    except (SurveyError, ParameterError) as exc:
        print(f"kflow: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KflowError as exc:
        print(f"kflow: analysis failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0)
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(f"kflow: error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # an analysis bug must still end in one clear line
        print(f"kflow: analysis failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
