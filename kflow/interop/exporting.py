"""``kflow.export``: a survey, with kflow's results per firm, as a file other tools open."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kflow.exceptions import SurveyError, bad_parameter
from kflow.interop.results import result_attributes
from kflow.interop.writers import dl_text, pajek_partition, pajek_text, write_graph_xml
from kflow.survey import Survey

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("dl", "net", "graphml", "gexf")
_SUFFIX_FORMAT = {".dl": "dl", ".net": "net", ".paj": "net", ".graphml": "graphml",
                  ".gexf": "gexf"}


def export(
    survey: Survey,
    path: str | Path,
    *,
    format: str | None = None,
    results: bool = True,
    local: str = "degree",
    external: str = "external_ties",
    threshold: object = "mean",
) -> Path:
    """Write the survey as a UCINET DL, Pajek, GraphML or GEXF file.

    Ties are written in knowledge-flow orientation (an arc u -> v: knowledge flowed from u to v)
    with their values; several relations and waves are kept. GraphML, GEXF and Pajek also carry
    the firms' attributes and kflow's results per firm as node attributes, so the network can be
    coloured by role in Gephi, yEd or Pajek in one step: ``role``, ``local_score``,
    ``external_score``, ``position``, the centralities and the brokerage z-scores
    (``brokerage_gatekeeper_z`` …), computed for each layer with the report's defaults.

    ========  =====================================================================
    format    what is written
    ========  =====================================================================
    dl        UCINET DL fullmatrix, one matrix per relation (``LEVEL LABELS``; a wave
              as ``advice wave=2015``), quoted labels; no attributes (UCINET keeps
              them in separate files)
    net       Pajek: ``*Arcs :k "relation"`` per relation, waves as time points
              ``[k]`` (named in a ``% kflow waves:`` comment). A ``.paj`` project
              adds a ``*Partition`` per text attribute (``role``, ``position`` …;
              codes in a comment) and a ``*Vector`` per numeric one; a ``.net``
              holds the network alone, with the roles beside it in
              ``<name>_role.clu``
    graphml   GraphML (networkx), node attributes typed, edges with ``weight``,
              ``relation`` and ``wave``
    gexf      GEXF 1.2 (networkx), as GraphML, with ``label`` set to the firm name
    ========  =====================================================================

    Reading the file back with ``read_survey(path, orientation="flow")`` gives the same ties and
    (GraphML, GEXF, Pajek project) the same firm attributes and wave membership; the result
    attributes, listed in the file, are left out and noted. Outside ties are not written: keep
    them with :func:`kflow.write_survey`.

    Parameters
    ----------
    survey : Survey
        The survey to write.
    path : str or pathlib.Path
        The file to write (replaced if it exists).
    format : {"dl", "net", "graphml", "gexf"}, optional
        Default: from the suffix (``.dl``, ``.net`` or ``.paj``, ``.graphml``, ``.gexf``).
    results : bool
        Add kflow's results as node attributes (not in DL).
    local, external, threshold
        The axes and the high/low rule of the cognitive roles, as in
        :func:`kflow.classify_roles` and :func:`kflow.report` (e.g. ``external`` naming a
        firms column that counts outside links).

    Returns
    -------
    pathlib.Path
        The file written.

    See Also
    --------
    kflow.read_survey : reads all four formats back.
    kflow.write_survey : kflow's own folder of CSV files.

    References
    ----------
    Gould, R. V., and Fernandez, R. M. (1989). Structures of mediation. *Sociological
    Methodology* 19, 89–126 (the brokerage z-scores).

    Examples
    --------
    >>> import tempfile, pathlib, kflow
    >>> s = kflow.datasets.load_dataset("wine_cluster")
    >>> out = kflow.export(s, pathlib.Path(tempfile.mkdtemp()) / "wine.graphml")
    >>> back = kflow.read_survey(out, orientation="flow")
    >>> len(back.ties) == len(s.ties), back.firms.index.equals(s.firms.index)
    (True, True)
    """
    out = Path(path)
    fmt = format if format is not None else _SUFFIX_FORMAT.get(out.suffix.lower())
    if fmt is None:
        raise SurveyError(
            f"{out}: cannot tell the format from the suffix {out.suffix or '(none)'!r}; pass "
            f"format= ({', '.join(EXPORT_FORMATS)}) or use .dl, .net, .paj, .graphml, .gexf."
        )
    if fmt not in EXPORT_FORMATS:
        raise bad_parameter("export", "format", f"one of {', '.join(EXPORT_FORMATS)}", fmt)
    rules = {"local": local, "external": external, "threshold": threshold}
    attributes, names = _attributes(survey, results and fmt != "dl", rules)
    try:
        if fmt == "dl":
            out.write_text(dl_text(survey), encoding="utf-8")
        elif fmt == "net":
            project = out.suffix.lower() != ".net"
            out.write_text(pajek_text(survey, attributes, names, project=project),
                           encoding="utf-8")
            if not project and "role" in attributes.columns:
                side = out.with_name(f"{out.stem}_role.clu")
                side.write_text(pajek_partition("role", attributes["role"]), encoding="utf-8")
        else:
            write_graph_xml(survey, attributes, names, out, fmt)
    except OSError as exc:
        raise SurveyError(f"{out}: cannot be written ({exc.strerror}).") from None
    return out


def _attributes(survey: Survey, with_results: bool,
                rules: dict) -> tuple[pd.DataFrame, list[str]]:
    """The firms table and, when asked, the result columns (their names listed apart)."""
    firms = survey.firms.copy()
    absent = survey.meta.get("absent") or {}
    if any(absent.values()):
        # Wave membership as read_survey takes it back: the waves each firm is in.
        firms["waves"] = [";".join(w for w in survey.waves if f not in absent.get(w, []))
                          for f in firms.index]
    if not with_results:
        return firms, []
    results, _ = result_attributes(survey, **rules)
    results = results.drop(columns=[c for c in results.columns if c in firms.columns])
    return firms.join(results), [str(c) for c in results.columns]
