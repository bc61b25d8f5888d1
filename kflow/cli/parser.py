"""The ``kflow`` argument parser: every subcommand, option, help text and example."""

from __future__ import annotations

import argparse

from kflow import vocabulary as V
from kflow._version import __version__

__all__ = ["UsageError", "build_parser"]

ORIENTATIONS = ("asks", "gives", "flow")


class UsageError(Exception):
    """A command line that cannot be run as written (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors by raising instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


_FORMATTER = argparse.RawDescriptionHelpFormatter

EXAMPLES = {
    "validate": "kflow validate ties.csv --orientation asks --firms firms.csv --scale 0 3\n"
    "  kflow validate KNetwork1.csv KNetwork2.csv --orientation asks --wave-labels 2012 2015",
    "measures": "kflow measures ties.csv --orientation asks --firms firms.csv -o measures.csv",
    "roles": "kflow roles ties.csv --orientation asks --firms firms.csv "
    "--external-axis external_links --threshold median",
    "brokerage": "kflow brokerage ties.csv --orientation asks --external external.csv "
    "--simulations 999 --seed 1",
    "link": "kflow link ties.csv --orientation asks --firms firms.csv "
    "--outcomes product,process --capacity graduate_share,experience_years",
    "compare": "kflow compare ties.csv --orientation asks --wave-column wave --before 2012 "
    "--after 2015\n  kflow compare KNetwork1.csv KNetwork2.csv --orientation asks "
    "--wave-labels 2012 2015 --membership infer",
    "report": "kflow report ties.csv --orientation asks --firms firms.csv --external external.csv "
    "-o my-report\n  kflow report --dataset wine_cluster_panel -o panel-report --wave 2",
    "demo": "kflow demo -o kflow-report",
    "export": "kflow export ties.csv --orientation asks --firms firms.csv --external external.csv "
    "-o cluster.gexf\n  kflow export --dataset wine_cluster -o wine.net",
    "questionnaire": "kflow questionnaire firms.csv -o roster.xlsx --language es\n"
    "  (filled in, it reads back with: kflow validate roster.xlsx --layout questionnaire)",
    "datasets": "kflow datasets\n  kflow datasets krackhardt_advice",
}


_READS_SURVEY = ("validate", "measures", "roles", "brokerage", "link", "compare", "report",
                 "export")


def _usage(name: str) -> str | None:
    """Usage lines that show what is required: TIES with --orientation, or --dataset."""
    if name not in _READS_SURVEY:
        return None
    out = {"report": " -o DIR", "export": " -o FILE"}.get(name, "")
    return (
        f"kflow {name} TIES [TIES ...] --orientation {{asks,gives,flow}}{out} [options]\n"
        f"       kflow {name} --dataset NAME{out} [options]"
    )


def _sub(sub, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help_text,
        usage=_usage(name),
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=_FORMATTER,
    )


def _survey_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "ties",
        nargs="*",
        metavar="TIES",
        help="ties file (edge list or roster matrix; UCINET .dl, Pajek .net/.paj, .graphml, "
        ".gexf; a filled roster questionnaire with --layout questionnaire) or a folder written "
        "by kflow; several files are the waves of one survey, in order",
    )
    need = p.add_argument_group("required (unless --dataset or a kflow folder is given)")
    need.add_argument(
        "--orientation",
        choices=ORIENTATIONS,
        help="which question the ties answer: asks (the respondent names the firms it turns "
        "to), gives (the firms it gave knowledge to), flow (columns hold source -> target)",
    )
    data = p.add_argument_group("survey files")
    data.add_argument("--dataset", metavar="NAME", help="a bundled dataset instead of files")
    data.add_argument("--firms", metavar="FILE", help="firms table: firm_id, name, respondent, "
                      "attributes, a 'waves' column for wave membership")
    data.add_argument("--external", metavar="FILE",
                      help="outside ties: firm_id, actor, actor_type, direction, weight")
    data.add_argument("--firm-id", metavar="COL", help="firm id column of --firms/--external")
    data.add_argument("--sheet", metavar="SHEET", help="workbook sheet of an .xlsx ties file")
    data.add_argument("--layout", choices=V.LAYOUTS, default="auto",
                      help="edge list, square roster matrix or a filled kflow questionnaire "
                      "(default: detected; network files are detected by content)")
    data.add_argument("--network", metavar="NAME",
                      help="the *Network of a Pajek project file to read (default: all, as "
                      "relations)")
    data.add_argument("--negative", choices=V.NEGATIVE_POLICIES, default="error",
                      help="negative (signed) tie values: an error, or drop them and list them "
                      "in the validation report")
    data.add_argument("--source", metavar="COL", help="column of the respondent / source firm")
    data.add_argument("--target", metavar="COL", help="column of the named / target firm")
    data.add_argument("--weight", metavar="COL", help="column of the tie value")
    data.add_argument("--relation-column", metavar="COL", help="column naming the relation")
    data.add_argument("--wave-column", metavar="COL", help="column naming the wave")
    data.add_argument("--wave-labels", nargs="+", metavar="LABEL",
                      help="labels of the waves given as several TIES files (default: file names)")
    data.add_argument("--membership", choices=("declared", "infer"), default="declared",
                      help="wave membership: declared in the firms table's 'waves' column, or "
                      "inferred (a firm with no tie in a wave is absent from it)")
    data.add_argument("--scale", nargs=2, type=float, metavar=("MIN", "MAX"),
                      help="answer scale, e.g. 0 3; values outside are an error")
    data.add_argument("--duplicates", choices=V.DUPLICATE_POLICIES, default="error",
                      help="what to do with a tie given twice (default: error)")
    data.add_argument("--missing", choices=V.MISSING_TREATMENTS, default="nan",
                      help="how measures treat non-respondents' unknown answers (default: nan)")
    data.add_argument("--add-unknown-firms", action="store_true",
                      help="add firms named in ties but missing from the firms table")
    data.add_argument("--encoding", help="text encoding (default: detected)")
    data.add_argument("--sep", help="delimiter (default: detected)")
    layer = p.add_argument_group("which layer")
    layer.add_argument("--relation", metavar="R", help="the relation to analyse")
    layer.add_argument("--wave", metavar="W", help="the wave to analyse (default: the last)")


def _engine_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=("duckdb", "spark"),
                   help="compute out of core on DuckDB, or on Spark (national-scale edge files, "
                   "Parquet or CSV; needs the scale or spark extra): degrees, strengths, "
                   "external openness and roles")


def _axis_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cognitive roles")
    g.add_argument("--local-axis", default="degree",
                   help="local axis: a centrality column (default: degree)")
    g.add_argument("--external-axis", default="external_ties",
                   help="external axis: external_ties, external_strength, or a numeric firms "
                   "column such as a count of outside links (default: external_ties)")
    g.add_argument("--threshold", default="mean",
                   help="high/low rule: mean, median, quantile:Q (e.g. quantile:0.75) or a number")


def _outcome_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("outcomes")
    g.add_argument("--outcomes", metavar="A,B",
                   help="outcome columns of the firms table (default: product, process, "
                   "functional, intersectoral)")
    g.add_argument("--capacity", metavar="A,B",
                   help="absorptive-capacity columns (default: graduate_share, "
                   "experience_years, experimentation)")


def _random_arguments(p: argparse.ArgumentParser, permutations: int | None = 9999) -> None:
    p.add_argument("--seed", type=int, default=0, help="seed of every random step (default: 0)")
    if permutations is not None:
        p.add_argument("--permutations", type=int, default=permutations,
                       help=f"permutations of the tests (default: {permutations})")


def _output_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("csv", "json", "parquet"), default="csv",
                   help="table format (default: csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")


def _report_arguments(p: argparse.ArgumentParser, default_dir: str | None) -> None:
    g = p.add_argument_group("report")
    g.add_argument("-o", "--output", metavar="DIR", default=default_dir,
                   required=default_dir is None,
                   help="folder to write the report into" + ("" if default_dir else " (required)"))
    g.add_argument("--title", help="the report's title")
    g.add_argument("--formats", nargs="+", default=["html", "md", "csv"],
                   choices=("html", "md", "csv", "json", "pdf"),
                   help="what to write (pdf needs a Chromium on PATH)")
    g.add_argument("--anonymize", action="store_true",
                   help="replace firm names and ids by keyed pseudonyms everywhere")
    g.add_argument("--anonymize-actors", action="store_true",
                   help="with --anonymize, pseudonyms for outside actors too")
    g.add_argument("--salt", help="secret key of the pseudonyms (never written)")
    g.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that is not an earlier kflow report")
    g.add_argument("--resamples", type=int, default=1000,
                   help="role stability resamples (default: 1000)")
    _random_arguments(g)


def _format_commands(sub) -> None:
    """``export`` and ``questionnaire``: files for other tools, and the roster workbook."""
    p = _sub(sub, "export", "write the survey with its roles and measures as DL, Pajek, "
             "GraphML or GEXF")
    _survey_arguments(p)
    _axis_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="file to write (.dl, .net, .paj, .graphml, .gexf)")
    p.add_argument("--format", choices=("dl", "net", "graphml", "gexf"),
                   help="file format (default: from the suffix of FILE)")
    p.add_argument("--no-results", action="store_true",
                   help="write the ties and firm attributes only, without kflow's results")

    p = _sub(sub, "questionnaire", "write a roster questionnaire workbook (one sheet per firm)")
    p.add_argument("firms", metavar="FIRMS", help="firms table: firm_id (or id) and name")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the .xlsx to write")
    p.add_argument("--language", choices=("en", "es", "pt"), default="en",
                   help="language of the fixed texts (default: en)")
    p.add_argument("--question", help="the roster question (default: the technical-advice "
                   "question of the cluster literature)")
    p.add_argument("--scale", nargs=2, type=int, default=(0, 3), metavar=("MIN", "MAX"),
                   help="answer scale (default: 0 3)")
    p.add_argument("--firm-id", metavar="COL", help="firm id column of FIRMS")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kflow", description="Knowledge flows between the firms of a cluster.",
                     epilog="Run 'kflow COMMAND --help' for a command's options and an example.")
    parser.add_argument("--version", action="version", version=f"kflow {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = _sub(sub, "validate", "read a survey and print its validation report")
    _survey_arguments(p)

    p = _sub(sub, "measures", "centrality and external openness per firm")
    _survey_arguments(p)
    p.add_argument("--weighted", action="store_true", help="distances = 1 / weight")
    p.add_argument("--k", type=int, metavar="K",
                   help="estimate betweenness and closeness from K sampled source firms "
                   "(large networks; default: exact)")
    _random_arguments(p, permutations=None)
    _output_arguments(p)

    _engine_argument(p)

    p = _sub(sub, "roles", "cognitive roles and knowledge positions per firm")
    _survey_arguments(p)
    _axis_arguments(p)
    _output_arguments(p)
    _engine_argument(p)

    p = _sub(sub, "brokerage", "Gould-Fernandez brokerage per firm")
    _survey_arguments(p)
    p.add_argument("--groups", default="cluster",
                   help="'cluster' (cluster / outside actors) or a firms-table column")
    p.add_argument("--no-external", action="store_true", help="leave outside actors out")
    p.add_argument("--simulations", type=int, default=0,
                   help="simulated networks for p-values (default: 0, none)")
    _random_arguments(p, permutations=None)
    _output_arguments(p)

    p = _sub(sub, "link", "network positions and upgrading (correlation table)")
    _survey_arguments(p)
    _axis_arguments(p)
    _outcome_arguments(p)
    _random_arguments(p)
    _output_arguments(p)

    p = _sub(sub, "compare", "compare two waves: entries, exits, tie persistence, role changes")
    _survey_arguments(p)
    _axis_arguments(p)
    p.add_argument("--before", metavar="W", help="the earlier wave (default: the last but one)")
    p.add_argument("--after", metavar="W", help="the later wave (default: the last)")
    _output_arguments(p)

    p = _sub(sub, "report", "write the gatekeeper report")
    _survey_arguments(p)
    _axis_arguments(p)
    _outcome_arguments(p)
    _report_arguments(p, None)

    p = _sub(sub, "demo", "the gatekeeper report on the bundled demo cluster")
    _report_arguments(p, "kflow-report")

    _format_commands(sub)

    p = _sub(sub, "datasets", "list the bundled datasets, or describe one")
    p.add_argument("name", nargs="?", help="a dataset name")
    return parser
