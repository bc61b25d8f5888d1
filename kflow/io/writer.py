"""``write_survey``: save a Survey as plain files that read back to the same Survey."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

__all__ = ["write_survey"]


def _attribute_type(col: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(col.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(col.dtype):
        return "int"
    if pd.api.types.is_float_dtype(col.dtype):
        return "float"
    return "str"


def write_survey(survey: Survey, directory: str | Path) -> Path:
    """Write a survey as ``ties.csv``, ``firms.csv``, ``external.csv`` and ``meta.json``.

    Ties are written in knowledge-flow orientation (``source`` gives knowledge to ``target``), so
    ``kflow.read_survey(directory)`` or ``kflow.read_survey(directory / "ties.csv",
    orientation="flow", firms=..., external=...)`` gives the same survey back. Files are UTF-8
    with ``,`` separators and no index column; the output is the same bytes for the same survey.

    Parameters
    ----------
    survey : Survey
        The survey to save.
    directory : str or pathlib.Path
        Folder to write into (created if needed; the four files are overwritten).

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import tempfile, pandas as pd, kflow
    >>> s = kflow.read_survey(pd.DataFrame({"source": ["A"], "target": ["B"]}), orientation="flow")
    >>> folder = kflow.write_survey(s, tempfile.mkdtemp())
    >>> kflow.read_survey(folder).ties.equals(s.ties)
    True
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    survey.ties.to_csv(folder / "ties.csv", index=False, lineterminator="\n")
    firms = survey.firms.reset_index()
    firms[V.RESPONDENT] = firms[V.RESPONDENT].map({True: "yes", False: "no"})
    firms.to_csv(folder / "firms.csv", index=False, lineterminator="\n")
    external_path = folder / "external.csv"
    if len(survey.external):
        survey.external.to_csv(external_path, index=False, lineterminator="\n")
    elif external_path.exists():
        external_path.unlink()
    meta = dict(survey.meta)
    meta["firm_attribute_types"] = {
        c: _attribute_type(survey.firms[c])
        for c in survey.firms.columns
        if c not in (V.NAME, V.RESPONDENT)
    }
    (folder / "meta.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    return folder
