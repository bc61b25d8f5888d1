"""What each ``kflow`` subcommand does, over the public API (imported when the command runs, so
that ``kflow --help`` and ``kflow validate`` stay fast)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from kflow._spreadsheet import neutralize_formulas
from kflow.cli.parser import UsageError

__all__ = ["COMMANDS"]

EXIT_OK = 0


def read_survey_from(args: argparse.Namespace):
    """The survey the command line names: a bundled dataset, one ties file or several waves."""
    if args.dataset:
        if args.ties or args.firms or args.external:
            raise UsageError("kflow: --dataset replaces TIES, --firms and --external; give one "
                             "or the other.")
        from kflow.datasets import load_network

        return load_network(args.dataset)
    if not args.ties:
        raise UsageError("kflow: give a TIES file (or one per wave), or --dataset NAME.")
    from kflow.io.reader import read_survey

    ties = args.ties[0] if len(args.ties) == 1 else _waves_mapping(args)
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    return read_survey(
        ties,
        orientation=args.orientation,
        firms=args.firms,
        external=args.external,
        layout=args.layout,
        source=args.source,
        target=args.target,
        weight=args.weight,
        relation=args.relation_column,
        wave=args.wave_column,
        firm_id=args.firm_id,
        scale=tuple(args.scale) if args.scale else None,
        duplicates=args.duplicates,
        missing=args.missing,
        add_unknown_firms=args.add_unknown_firms,
        encoding=args.encoding,
        sep=args.sep,
        sheet=sheet,
        membership=args.membership,
        network=args.network,
        negative=args.negative,
    )


def _waves_mapping(args: argparse.Namespace) -> dict[str, str]:
    labels = args.wave_labels or [Path(t).stem for t in args.ties]
    if len(labels) != len(args.ties) or len(set(labels)) != len(labels):
        raise UsageError(
            f"kflow: {len(args.ties)} TIES files need as many distinct --wave-labels; got "
            f"{', '.join(labels)}."
        )
    return dict(zip(labels, args.ties, strict=True))


def _one_layer(args: argparse.Namespace, survey):
    """The relation and wave a command analyses (by default the last wave, said on stderr)."""
    wave = args.wave
    if wave is None and survey.waves:
        wave = survey.waves[-1]
        if len(survey.waves) > 1:
            print(f"kflow: analysing wave {wave!r}, the last of {', '.join(survey.waves)} "
                  "(choose another with --wave)", file=sys.stderr)
    return survey.select(relation=args.relation, wave=wave)


def threshold_rule(text: str):
    """--threshold as classify_roles takes it: mean, median, ("quantile", q) or a number."""
    if text in ("mean", "median"):
        return text
    if text.startswith("quantile:"):
        try:
            return ("quantile", float(text.split(":", 1)[1]))
        except ValueError:
            pass
    else:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if value == value:  # not NaN
            return value
    raise UsageError(
        f"kflow: --threshold must be mean, median, quantile:Q (e.g. quantile:0.75) or a number; "
        f"got {text!r}."
    )


def _columns(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(c.strip() for c in text.split(",") if c.strip())
    if not names:
        raise UsageError("kflow: a list of columns needs at least one name, e.g. product,process")
    return names


def _axes(args: argparse.Namespace) -> dict:
    return {
        "local": args.local_axis,
        "external": args.external_axis,
        "threshold": threshold_rule(args.threshold),
    }


def emit(table: pd.DataFrame, args: argparse.Namespace) -> int:
    """Write a result table as CSV, JSON or Parquet, to -o FILE or standard output."""
    fmt, out = args.format, args.output
    if fmt == "parquet" and not out:
        raise UsageError("kflow: --format parquet needs -o FILE")
    frame = table.reset_index() if table.index.name or table.index.nlevels > 1 else table
    if fmt == "csv":
        text = neutralize_formulas(frame).to_csv(
            index=False, lineterminator="\n", float_format="%.10g"
        )
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


def validate(args: argparse.Namespace) -> int:
    survey = read_survey_from(args)
    print(survey.validation.summary())
    waves = f"; waves: {', '.join(survey.waves)}" if survey.waves else ""
    print(
        f"\n{survey.n_firms} firms, {survey.n_ties} knowledge ties "
        f"(relations: {', '.join(survey.relations)}{waves}), "
        f"{len(survey.external)} external ties."
    )
    for wave in survey.waves:
        absent = survey.absent(wave)
        if absent:
            print(f"wave {wave}: absent {', '.join(absent)}")
    return EXIT_OK


def _scale_inputs(args: argparse.Namespace) -> dict:
    """The edge file and options of ``--engine`` (kflow.scale reads the files itself)."""
    if args.dataset or len(args.ties) != 1 or args.orientation is None:
        raise UsageError("kflow: --engine reads one edge file (Parquet or CSV, a glob allowed) "
                         "with --orientation; give TIES and --orientation.")
    options = {"orientation": args.orientation, "engine": args.engine, "firms": args.firms}
    if args.engine == "spark":
        from pyspark.sql import SparkSession

        options["spark"] = SparkSession.builder.appName("kflow").getOrCreate()
    return options


def _scale_measures(args: argparse.Namespace) -> int:
    from kflow import scale

    options = _scale_inputs(args)
    table = scale.centrality(args.ties[0], **options)
    if args.external:
        table = table.join(scale.external_openness(args.ties[0], args.external, **options))
    return emit(table, args)


def _scale_roles(args: argparse.Namespace) -> int:
    from kflow import scale

    if not args.external:
        raise UsageError("kflow: roles --engine needs the outside ties: give --external FILE.")
    table = scale.classify_roles(args.ties[0], args.external, external_axis=args.external_axis,
                                 threshold=threshold_rule(args.threshold), **_scale_inputs(args))
    print(table["role"].value_counts().to_string(), file=sys.stderr)
    return emit(table, args)


def measures(args: argparse.Namespace) -> int:
    from kflow.measures import centrality, external_openness

    if args.engine:
        return _scale_measures(args)
    survey = _one_layer(args, read_survey_from(args))
    table = centrality(survey, weighted=args.weighted, k=args.k, seed=args.seed)
    if args.k is not None:
        print(f"betweenness and closeness estimated from {args.k} sampled source firms "
              f"(seed {args.seed})", file=sys.stderr)
    table = table.join(external_openness(survey))
    return emit(table, args)


def roles(args: argparse.Namespace) -> int:
    from kflow.roles import classify_roles, knowledge_positions

    if args.engine:
        return _scale_roles(args)
    survey = _one_layer(args, read_survey_from(args))
    result = classify_roles(survey, **_axes(args))
    table = result.table.join(knowledge_positions(survey)[["position"]])
    print(result.summary(), file=sys.stderr)
    return emit(table, args)


def brokerage(args: argparse.Namespace) -> int:
    from kflow.roles import brokerage as gould_fernandez

    survey = _one_layer(args, read_survey_from(args))
    result = gould_fernandez(
        survey,
        args.groups,
        include_external=not args.no_external,
        n_simulations=args.simulations,
        seed=args.seed,
    )
    if not len(survey.external) and not args.no_external:
        print("kflow: no outside ties (actor by actor) in this survey: brokerage among cluster "
              "firms only; outside -> firm -> local relays need an outside-ties table "
              "(--external).", file=sys.stderr)
    table = result.raw.join(result.z.add_suffix("_z"))
    if result.p_simulated is not None:
        table = table.join(result.p_simulated.add_suffix("_p"))
    return emit(table, args)


def link(args: argparse.Namespace) -> int:
    from kflow.outcomes import link_upgrading

    survey = _one_layer(args, read_survey_from(args))
    result = link_upgrading(
        survey,
        outcomes=_columns(args.outcomes),
        capacity=_columns(args.capacity),
        n_permutations=args.permutations,
        seed=args.seed,
        **_axes(args),
    )
    print(result.summary(), file=sys.stderr)
    if result.correlations.empty:
        raise UsageError(
            "kflow: no outcome column found in the firms table (looked for product, process, "
            "functional, intersectoral); name yours with --outcomes A,B. The columns are: "
            + ", ".join(survey.firms.columns)
        )
    return emit(result.correlations, args)


def compare(args: argparse.Namespace) -> int:
    from kflow.roles import compare_waves

    survey = read_survey_from(args)
    if len(survey.waves) < 2:
        raise UsageError(
            "kflow: compare needs two waves: one ties file with a wave column (--wave-column), "
            "or two ties files (one per wave, labelled with --wave-labels)."
        )
    before = args.before if args.before is not None else survey.waves[-2]
    after = args.after if args.after is not None else survey.waves[-1]
    result = compare_waves(
        survey.select(relation=args.relation, wave=before),
        survey.select(relation=args.relation, wave=after),
        **_axes(args),
    )
    print(result.summary(), file=sys.stderr)
    return emit(result.roles, args)


def report(args: argparse.Namespace) -> int:
    return _write_report(read_survey_from(args), args)


def demo(args: argparse.Namespace) -> int:
    from kflow.datasets import DEMO, load_network

    return _write_report(load_network(DEMO), args)


def _write_report(survey, args: argparse.Namespace) -> int:
    from kflow.cli.progress import progress_bar
    from kflow.reporting import report as write

    options = {}
    if args.command == "report":
        options = {
            "relation": args.relation,
            "wave": args.wave,
            "outcomes": _columns(args.outcomes),
            "capacity": _columns(args.capacity),
            **_axes(args),
        }
    out = write(
        survey,
        args.output,
        formats=tuple(args.formats),
        title=args.title,
        anonymize=args.anonymize,
        anonymize_actors=args.anonymize_actors,
        salt=args.salt,
        seed=args.seed,
        force=args.force,
        n_resamples=args.resamples,
        n_permutations=args.permutations,
        progress=progress_bar(sys.stderr.isatty()),
        **options,
    )
    print(f"report written to {out / 'report.html'}")
    return EXIT_OK


def datasets(args: argparse.Namespace) -> int:
    from kflow.datasets import list_datasets

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
        raise UsageError(
            f"kflow: No dataset named {args.name!r}. The datasets are: "
            f"{', '.join(registry.index)} (see 'kflow datasets')."
        )
    row = registry.loc[args.name]
    for key in ("kind", "orientation", "n_firms", "n_ties", "description",
                "source_publication", "where_obtained", "licence", "files"):
        print(f"{key}: {row[key]}")
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    from kflow.interop import export as write

    survey = read_survey_from(args)
    out = write(survey, args.output, format=args.format, results=not args.no_results,
                **_axes(args))
    print(f"wrote {out}", file=sys.stderr)
    return EXIT_OK


def questionnaire(args: argparse.Namespace) -> int:
    from kflow.interop import questionnaire as write

    out = write(args.firms, args.output, language=args.language, question=args.question,
                scale=tuple(args.scale), firm_id=args.firm_id)
    print(f"wrote {out}; once filled in, read it with: kflow validate {out} --layout "
          "questionnaire", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "validate": validate,
    "measures": measures,
    "roles": roles,
    "brokerage": brokerage,
    "link": link,
    "compare": compare,
    "report": report,
    "demo": demo,
    "export": export,
    "questionnaire": questionnaire,
    "datasets": datasets,
}
