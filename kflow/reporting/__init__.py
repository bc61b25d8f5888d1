"""The gatekeeper report: computed section by section into a plain model, then rendered.

The subpackage is ``kflow.reporting``; its entry point is exported as ``kflow.report``.

``kflow.report(survey, out_dir)`` writes ``report.html`` (self-contained, figures inlined as SVG),
``report.md`` (figures in ``figures/``) and every table as CSV and JSON in ``tables/``. The same
survey and seed give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kflow.exceptions import bad_parameter
from kflow.reporting.model import ReportModel
from kflow.reporting.render import render_html, render_markdown, write_tables
from kflow.reporting.sections import N_STEPS, SECTIONS, build_model
from kflow.survey import Survey

__all__ = ["N_STEPS", "SECTIONS", "ReportModel", "build_model", "report"]

FORMATS = ("html", "md", "csv", "json")


def report(
    survey: Survey,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("html", "md", "csv"),
    anonymize: bool = False,
    seed: int = 0,
    salt: str | None = None,
    n_resamples: int = 1000,
    n_permutations: int = 9999,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the gatekeeper report of a survey.

    Sections: the data (sources, orientation, response rate, validation), the network (summary,
    centralization), cognitive roles (quadrant plot, role table, knowledge positions), brokerage
    (gatekeeper and representative counts with z-scores, the outside -> firm -> local relays),
    a sociogram, role stability, positions and upgrading (effect sizes, p-values, plots), policy
    pointers labelled as prompts, and methods with references.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    out_dir : str or pathlib.Path
        Folder to write into (created if needed).
    formats : sequence of {"html", "md", "csv", "json"}
        What to write; ``"csv"`` writes every table as CSV and JSON.
    anonymize : bool
        Replace every firm id and name by a pseudonym in every output, figures included.
    seed : int
        Seed of every random step (resampling, permutations, jitter).
    salt : str, optional
        Secret key of the pseudonyms. The same salt gives the same pseudonyms (so anonymized
        reports of two waves match); without one a random salt is drawn, and anonymized reports
        then differ from run to run. The salt is never written.
    n_resamples, n_permutations : int
        Resamples of the role stability and permutations of the outcome tests.
    progress : callable, optional
        Called with a short message at each step (the CLI shows them in a terminal).

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import tempfile, kflow
    >>> s = kflow.datasets.load_network("example_cluster")
    >>> out = kflow.report(s, tempfile.mkdtemp(), n_resamples=20, n_permutations=99)
    >>> sorted(p.name for p in out.iterdir())
    ['figures', 'report.html', 'report.md', 'tables']
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise bad_parameter("report", "formats", f"a list drawn from {list(FORMATS)}", bad[0])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(
        survey,
        seed=seed,
        anonymize=anonymize,
        salt=salt,
        n_resamples=n_resamples,
        n_permutations=n_permutations,
        progress=progress,
    )
    if "html" in formats:
        (out / "report.html").write_text(render_html(model), encoding="utf-8")
    if "md" in formats:
        fig_dir = out / "figures"
        fig_dir.mkdir(exist_ok=True)
        paths = {}
        for name, svg in model.figures.items():
            (fig_dir / f"{name}.svg").write_text(svg, encoding="utf-8")
            paths[name] = f"figures/{name}.svg"
        (out / "report.md").write_text(render_markdown(model, paths), encoding="utf-8")
    if "csv" in formats or "json" in formats:
        write_tables(model, out / "tables")
    return out
