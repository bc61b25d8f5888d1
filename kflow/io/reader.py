"""``read_survey``: from survey files (or DataFrames) to a validated :class:`kflow.Survey`.

The reader accounts for every record it reads: each one becomes a tie, a firm or an external tie,
or is listed in the validation report with the reason it was not used. Anything that cannot be
used without guessing is a :class:`kflow.SurveyError` naming the file, row, column and value, and
what to do. The steps live one per module: :mod:`kflow.io.ties` (edge lists, roster matrices and
the orientation rule), :mod:`kflow.io.roster` (the firms table and respondents),
:mod:`kflow.io.external` (outside ties) and :mod:`kflow.io.assemble` (the Survey and its report).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError, bad_parameter
from kflow.io._common import Drops, check_choice
from kflow.io.assemble import REPORTED_SIDE, assemble_survey
from kflow.io.external import check_actor_names, read_external
from kflow.io.foreign import FORMAT_NAMES, detect_format, read_foreign
from kflow.io.membership import MEMBERSHIPS, wave_membership
from kflow.io.roster import read_roster, resolve_roster
from kflow.io.ties import read_ties
from kflow.survey import Survey

__all__ = ["META_FILE", "read_survey"]

META_FILE = "meta.json"

_NO_ORIENTATION = (
    "read_survey needs orientation=: 'asks' (the respondent names the firms it turns to for "
    "advice), 'gives' (the firms it gave knowledge to) or 'flow' (columns already hold source -> "
    "target). Getting it wrong silently swaps knowledge sources and absorbers."
)


def read_survey(
    ties: str | Path | pd.DataFrame | Mapping[str, str | Path | pd.DataFrame],
    *,
    orientation: str | None = None,
    firms: str | Path | pd.DataFrame | None = None,
    external: str | Path | pd.DataFrame | None = None,
    layout: str = "auto",
    source: str | None = None,
    target: str | None = None,
    weight: str | None = None,
    relation: str | None = None,
    wave: str | None = None,
    firm_id: str | None = None,
    scale: tuple[float, float] | None = None,
    duplicates: str = "error",
    missing: str = "nan",
    add_unknown_firms: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    membership: str = "declared",
    network: str | None = None,
    negative: str = "error",
) -> Survey:
    """Read and validate a roster survey.

    Inside kflow a tie u -> v always means *knowledge flowed from u to v*. The file's question
    decides how a row becomes a tie, so ``orientation`` has no default:

    - ``"asks"``: the respondent names the firms it turns to for advice (the roster question of
      the cluster literature): the row (respondent, named firm) becomes named firm -> respondent.
    - ``"gives"``: the respondent names the firms it gave knowledge to: respondent -> named firm.
    - ``"flow"``: the columns already hold source -> target.

    Parameters
    ----------
    ties : path, pandas.DataFrame, or mapping of wave label to either
        An edge list (one tie per row) or a square roster matrix (respondents in rows, named firms
        in columns, the answer in the cell; empty cell = no answer) as ``.csv``/``.tsv``/``.txt``,
        ``.xlsx`` or ``.parquet``, or a DataFrame; or a folder written by
        :func:`kflow.write_survey`. A mapping ``{"2012": path, "2015": path}`` reads one table
        per wave (e.g. the roster matrix of each wave) into one multi-wave survey.
        Network files of other tools are read too, detected by suffix or content: UCINET DL
        (``fullmatrix``, ``edgelist1``, ``nodelist1``; several matrices become relations named
        by their level labels), Pajek ``.net``/``.paj`` (networks, partitions and vectors as
        firm attributes, time intervals as waves), GraphML and GEXF (node attributes to the
        firms table; edge ``weight``, ``relation``, ``wave``). An arc i -> j of these files is
        the row i, column j of a roster matrix: ``orientation`` says what it means. A filled
        roster questionnaire written by :func:`kflow.questionnaire` is read with
        ``layout="questionnaire"``.
    orientation : {"asks", "gives", "flow"}
        Which question the ties answer (see above). Required, except for a questionnaire
        (always ``"asks"``).
    firms : path or pandas.DataFrame, optional
        The roster: a ``firm_id`` (or ``id``) column, optional ``name`` and ``respondent``
        (yes/no) columns, and any attributes. Without it, the roster is every firm named in the
        ties and all are taken to have answered (for an "asks"/"gives" roster matrix, firms with
        no row or an all-blank row are taken as non-respondents); the report says so.
    external : path or pandas.DataFrame, optional
        Ties to actors outside the cluster: ``firm_id``, ``actor``, optional ``actor_type``,
        ``direction`` (``in`` = knowledge into the firm, the default; ``out``) and ``weight``.
    layout : {"auto", "edgelist", "matrix", "questionnaire"}
        ``"auto"`` takes a table whose header starts with an empty cell, or whose row ids are its
        column names, as a matrix; ``"questionnaire"`` reads a filled kflow questionnaire.
    source, target, weight, relation, wave : str, optional
        Column names of an edge list. Defaults: the pair ``source``/``target`` (or
        ``respondent``/``alter``, ``ego``/``alter``, ``from``/``to``), ``weight`` (or
        ``value``), ``relation``, ``wave``. For "asks" and "gives" files, ``source`` names the
        respondent's column and ``target`` the named firm's.
    firm_id : str, optional
        The firm id column of the firms and external tables (default ``firm_id``, ``id``,
        ``firm``).
    scale : (float, float), optional
        The answer scale, e.g. ``(0, 3)``; a tie value outside it is an error.
    duplicates : {"error", "max", "sum", "mean", "last"}
        What to do when the same tie (same source, target, relation and wave) appears twice.
    missing : {"nan", "zero", "reconstruct"}
        How measures treat the unknown answers of non-respondents; recorded in ``meta`` and
        applied by the measures.
    add_unknown_firms : bool
        Add firms named in ties but missing from the firms table instead of raising.
    encoding, sep : str, optional
        Text encoding and delimiter; sniffed when None (utf-8, utf-8 with BOM, latin-1; ``,``
        ``;`` tab). Decimal commas in values are read as decimal points.
    sheet : str or int, optional
        Workbook sheet of an ``.xlsx`` ties file (default: the first).
    membership : {"declared", "infer"}
        Which firms belong to which wave of a multi-wave survey. ``"declared"`` (default): from
        a ``waves`` column of the firms table listing each firm's waves (separated by ``;``,
        ``,``, ``|`` or spaces; blank = every wave); without that column every firm is in every
        wave. ``"infer"``: a firm with no tie in a wave is absent from it (for roster matrices
        drawn over the firms of all waves). Absent firms are left out of
        :meth:`Survey.select` of that wave, so they are neither classified nor counted as
        respondents there.

    network : str, optional
        The ``*Network`` of a Pajek project file to read; by default every network is read, each
        as a relation named after it.
    negative : {"error", "drop"}
        Negative tie values (signed networks): an error naming the row, or ``"drop"`` to leave
        them out, each listed in the validation report.

    Returns
    -------
    Survey
        Firms indexed by ``firm_id`` in natural order; ties in flow orientation; external ties;
        ``meta``; and the validation report accounting for every record read.

    Raises
    ------
    SurveyError
        Bad input: the message names the file, row, column and value, and what to do.

    Notes
    -----
    A value of 0 means "no tie" and is dropped (and reported). Self-ties are dropped and reported.
    Firm ids are text exactly as written, trimmed of surrounding spaces: ``"007"`` stays ``"007"``.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> answers = pd.DataFrame({"source": ["B", "C", "C"], "target": ["A", "A", "B"],
    ...                         "weight": [3, 2, 0]})
    >>> s = kflow.read_survey(answers, orientation="asks", scale=(0, 3))
    >>> s.ties[["source", "target", "weight"]].values.tolist()
    [['A', 'B', 3.0], ['A', 'C', 2.0]]
    >>> counts = ["records_read", "records_used", "records_dropped"]
    >>> s.validation.tables.loc["ties", counts].tolist()
    [3, 2, 1]
    """
    # Every parameter goes into one options dict that the reading steps share (the call's
    # locals are exactly the parameters at this point).
    options = _check_options(locals())
    attribute_types = None
    notes: list[str] = []
    if isinstance(ties, (str, Path)) and Path(ties).is_dir():
        ties, firms, external, attribute_types = _saved_folder(Path(ties), firms, external, options)
    fmt = None if isinstance(ties, Mapping) else detect_format(ties, options["layout"])
    if fmt is not None:
        ties, firms, external = _foreign(ties, fmt, firms, external, options, notes)
    elif options["network"] is not None:
        raise SurveyError("read_survey: network= picks a *Network of a Pajek project file; the "
                          "ties given are a table. Leave network= out.")
    if options["orientation"] is None:
        raise SurveyError(_NO_ORIENTATION)
    check_choice("read_survey", "orientation", options["orientation"], V.ORIENTATIONS)
    check_choice("read_survey", "membership", options["membership"], MEMBERSHIPS)
    options.setdefault("reported_side", REPORTED_SIDE.get(options["orientation"]))

    drops = Drops()
    tie_records = read_ties(ties, options, drops, notes)
    firm_table, roster = read_roster(firms, options, drops, attribute_types)
    ext_table, ext = read_external(external, options, drops, notes)
    roster = resolve_roster(roster, firm_table, tie_records, ext, ext_table, options, notes)
    roster, options["absent"] = wave_membership(
        roster, tie_records, firm_table, options["membership"], notes
    )
    check_actor_names(ext, ext_table, roster)
    return assemble_survey(tie_records, roster, firm_table, ext, ext_table, options, drops, notes)


def _check_options(given: dict[str, Any]) -> dict[str, Any]:
    """The options of read_survey, checked, with the scale as a pair of floats."""
    fn = "read_survey"
    check_choice(fn, "layout", given["layout"], V.LAYOUTS)
    check_choice(fn, "duplicates", given["duplicates"], V.DUPLICATE_POLICIES)
    check_choice(fn, "missing", given["missing"], V.MISSING_TREATMENTS)
    check_choice(fn, "negative", given["negative"], V.NEGATIVE_POLICIES)
    options = {k: v for k, v in given.items() if k not in ("ties", "firms", "external")}
    scale = given["scale"]
    if scale is not None:
        try:
            lo, hi = (float(x) for x in scale)
        except (TypeError, ValueError):
            raise bad_parameter(fn, "scale", "a (min, max) pair of numbers", scale) from None
        if not lo <= hi:
            raise bad_parameter(fn, "scale", "a (min, max) pair with min <= max", scale)
        options["scale"] = (lo, hi)
    options["source_names"] = None
    return options


def _saved_folder(folder: Path, firms, external, options: dict[str, Any]):
    """The files of a folder written by :func:`kflow.write_survey`, and the options it saved."""
    meta_path = folder / META_FILE
    if not meta_path.exists():
        raise SurveyError(
            f"{folder}: is a folder without {META_FILE}; give the ties file itself, or a "
            "folder written by kflow.write_survey."
        )
    try:
        saved = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SurveyError(
            f"{meta_path}: is not the JSON kflow.write_survey writes ({exc}). Restore the file, "
            "or read the ties file itself with orientation='flow'."
        ) from None
    if not isinstance(saved, dict):
        raise SurveyError(f"{meta_path}: holds no survey metadata (expected a JSON object).")
    if options["orientation"] not in (None, "flow"):
        raise SurveyError(
            f"{folder}: a folder written by kflow.write_survey holds knowledge-flow ties; "
            f"pass orientation='flow' or leave it out (got {options['orientation']!r})."
        )
    options["orientation"] = "flow"
    options["saved_folder"] = True
    options["saved_orientation"] = saved.get("orientation")
    options["saved_layout"] = saved.get("layout")
    firms = folder / "firms.csv" if firms is None else firms
    ext_path = folder / "external.csv"
    if external is None and ext_path.exists():
        external = ext_path
    if options["scale"] is None and saved.get("scale"):
        options["scale"] = tuple(saved["scale"])
    if saved.get("absent"):
        options["saved_absent"] = saved["absent"]
    options["missing"] = saved.get("missing", options["missing"])
    options["source_names"] = saved.get("sources")
    options["reported_side"] = saved.get("reported_side")
    return folder / "ties.csv", firms, external, saved.get("firm_attribute_types")


def _foreign(obj, fmt: str, firms, external, options: dict[str, Any], notes: list[str]):
    """A network file or questionnaire read into tables; the options set to read them."""
    found = read_foreign(obj, fmt, options)
    name = Path(obj).name
    if fmt == "questionnaire":
        if options["orientation"] not in (None, "asks"):
            raise SurveyError(
                f"{name}: a roster questionnaire asks each firm whom it turns to, so its answers "
                f"are read with orientation='asks' (got {options['orientation']!r}); leave "
                "orientation= out."
            )
        options["orientation"] = "asks"
        if options["scale"] is None and found.scale is not None:
            options["scale"] = found.scale
    options["layout"] = "edgelist"
    options["file_format"] = FORMAT_NAMES[fmt]
    notes.extend(found.notes)
    if firms is None:
        firms = found.firms
    elif found.firms is not None:
        notes.append(f"{name}: firms came from firms=; the vertex list and vertex attributes of "
                     "the file were not used (firms it names in ties must be in firms=)")
    if found.external is not None:
        if external is not None:
            raise SurveyError(f"{name}: holds outside ties and external= was given too; give "
                              "one of them.")
        external = found.external
    return found.ties, firms, external
