"""The gatekeeper report: computed section by section into a plain model, then rendered.

The subpackage is ``kflow.reporting``; its entry point is exported as ``kflow.report``.

``kflow.report(survey, out_dir)`` writes ``report.html`` (self-contained, figures inlined as SVG),
``report.md`` (figures in ``figures/``) and every table as CSV and JSON in ``tables/``. The same
survey and seed give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kflow._positions import shared_layers
from kflow.exceptions import bad_parameter
from kflow.reporting.model import ReportModel, ReportOptions
from kflow.reporting.output import write_report
from kflow.reporting.sections import N_STEPS, SECTIONS, build_model
from kflow.survey import Survey

__all__ = ["N_STEPS", "SECTIONS", "ReportModel", "ReportOptions", "build_model", "report"]

FORMATS = ("html", "md", "csv", "json", "pdf")


def report(
    survey: Survey,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("html", "md", "csv"),
    relation: str | None = None,
    wave: str | int | None = None,
    local: str = "degree",
    external: str = "external_ties",
    threshold: Any = "mean",
    outcomes: Sequence[str] | None = None,
    capacity: Sequence[str] | None = None,
    title: str | None = None,
    anonymize: bool = False,
    anonymize_actors: bool = False,
    salt: str | None = None,
    seed: int = 0,
    force: bool = False,
    n_resamples: int = 1000,
    n_permutations: int = 9999,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the gatekeeper report of a survey.

    Sections: the data (sources, orientation, the wave and relation described, response rate,
    validation, and alerts such as missing outside data), the network (summary,
    centralization), cognitive roles (quadrant plot, role table, knowledge positions),
    brokerage (gatekeeper and representative counts with z-scores, the outside -> firm -> local
    relays), a sociogram, role stability, change between waves (for multi-wave surveys),
    positions and upgrading (effect sizes, p-values, plots), policy pointers labelled as prompts,
    and methods with references.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    out_dir : str or pathlib.Path
        Folder to write into. It must be new, empty or an earlier kflow report (which is
        replaced whole); another folder needs ``force=True``. Files are written to a temporary
        folder first and moved into place at the end, so a failed run leaves no half report.
    formats : sequence of {"html", "md", "csv", "json", "pdf"}
        What to write; ``"csv"`` writes every table as CSV and JSON; ``"pdf"`` prints the HTML
        report (A4, its print stylesheet) with a headless Chromium found on PATH.
    relation : str, optional
        The relation to describe; required when the survey has several.
    wave : str or int, optional
        The wave the per-wave sections describe (default: the last one, said in the report).
        Wave labels compare as text. With several waves the report adds the change between this
        wave and the one before it.
    local, external, threshold
        The role axes and threshold rule, as in :func:`kflow.classify_roles`; ``external`` may
        name a numeric firms-table column, such as a surveyed count of outside links.
    outcomes, capacity : sequence of str, optional
        The firms-table columns of the upgrading outcomes and of the absorptive-capacity
        components (defaults as in :func:`kflow.link_upgrading`); columns named here must exist.
    title : str, optional
        The report's title.
    anonymize : bool
        Replace every firm id and name by a keyed pseudonym in every output, figures, notes and
        JSON included; put firms in pseudonym order (tables, figures); withhold file names and
        paths. Outside actors (universities, suppliers, ...) keep their names unless
        ``anonymize_actors`` is also set.
    anonymize_actors : bool
        With ``anonymize``, replace outside actors' names by pseudonyms too.
    salt : str, optional
        Secret key of the pseudonyms. The same salt gives the same pseudonyms (so anonymized
        reports of two waves match); without one a random salt is drawn, and anonymized reports
        then differ from run to run. The salt is never written.
    seed : int
        Seed of every random step (resampling, permutations, jitter).
    force : bool
        Write into a non-empty folder that is not an earlier kflow report (its other files are
        left alone).
    n_resamples, n_permutations : int
        Resamples of the role stability and permutations of the outcome tests.
    progress : callable, optional
        Called with a short message at each step (the CLI shows them in a terminal).

    Returns
    -------
    pathlib.Path
        The folder.

    Notes
    -----
    Role stability and the positions-and-upgrading statistics run beside the figures: on Linux,
    from a program with no Python thread of its own besides the one calling ``report`` (a
    script, the command line), in forked child processes, one per computation; anywhere else
    (a notebook, a server, other platforms, a container where no process can be forked) on one
    worker thread. Each draws from its own generator seeded by ``seed``, so the report is the
    same bytes either way. Linear algebra runs on one thread per process while the report is
    written.

    Examples
    --------
    >>> import tempfile, kflow
    >>> s = kflow.datasets.load_network("example_cluster")
    >>> out = kflow.report(s, tempfile.mkdtemp(), n_resamples=20, n_permutations=99)
    >>> sorted(p.name for p in out.iterdir())
    ['.kflow-report.json', 'figures', 'report.html', 'report.md', 'tables']
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise bad_parameter("report", "formats", f"a list drawn from {list(FORMATS)}", bad[0])
    options = ReportOptions(
        relation=relation,
        wave=None if wave is None else str(wave),
        local=local,
        external=external,
        threshold=threshold,
        outcomes=None if outcomes is None else tuple(outcomes),
        capacity=None if capacity is None else tuple(capacity),
        title=title,
        seed=seed,
        anonymize=anonymize,
        anonymize_actors=anonymize_actors,
        n_resamples=n_resamples,
        n_permutations=n_permutations,
    )
    with shared_layers():  # every analysis of the report maps each layer's ties once
        model = build_model(survey, options, salt=salt, progress=progress)
    return write_report(model, Path(out_dir), formats, force=force)
