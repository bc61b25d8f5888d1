"""Bundled datasets and a generative model of a roster survey.

``list_datasets()`` lists what ships with kflow (real published networks, tables of *Upgrading to
Compete* (Pietrobelli & Rabellotti, eds., 2006) and synthetic clusters), with source and licence;
``load_network(name)`` returns a :class:`kflow.Survey`, ``load_table(name)`` a DataFrame
(``load_dataset(name)`` either, as in kflow 0.1);
``simulate_cluster(...)`` draws a synthetic cluster survey from a documented model.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pandas as pd

from kflow.datasets.simulate import simulate_cluster, simulate_panel, write_roster_files
from kflow.exceptions import KflowError, ParameterError
from kflow.io.reader import read_survey
from kflow.survey import Survey

__all__ = [
    "data_path",
    "list_datasets",
    "load_dataset",
    "load_network",
    "load_table",
    "simulate_cluster",
    "simulate_panel",
    "write_roster_files",
]

DEMO = "wine_cluster"
DEMO_SEED = 2006
PANEL = "wine_cluster_panel"


def data_path() -> Path:
    """The folder holding the bundled data: ``kflow/_data`` in an installed wheel, else the
    checkout's ``datasets/`` (editable installs).

    Examples
    --------
    >>> import kflow
    >>> (kflow.datasets.data_path() / "registry.csv").is_file()
    True
    """
    try:
        packaged = importlib.resources.files("kflow") / "_data"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - defensive
        pass
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if checkout.is_dir():
        return checkout
    raise KflowError(
        "kflow's bundled data are missing: neither kflow/_data (installed wheel) nor datasets/ "
        "(checkout) exists. Reinstall kflow."
    )


def list_datasets() -> pd.DataFrame:
    """The bundled datasets, one row each.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``: ``kind`` (network or table), ``files``, ``orientation``,
        ``n_firms``, ``n_ties``, ``description``, ``source_publication``, ``where_obtained``,
        ``licence`` (and ``firm_id``, the id column of the firms file).

    Examples
    --------
    >>> import kflow
    >>> "krackhardt_advice" in kflow.datasets.list_datasets().index
    True
    """
    table = pd.read_csv(data_path() / "registry.csv", dtype=str, keep_default_na=False)
    for col in ("n_firms", "n_ties"):
        table[col] = pd.to_numeric(table[col].replace("", None)).astype("Int64")
    return table.set_index("name")


def load_network(name: str) -> Survey:
    """Load a bundled network as a validated :class:`kflow.Survey`.

    The survey is read with the orientation the registry records (advice files are "asks":
    knowledge flows from the firm named to the one asking).

    Raises
    ------
    KflowError
        For an unknown name (the message lists the valid ones), or the name of a table.

    See Also
    --------
    load_table : the bundled tables (the book's cluster and trade tables).
    list_datasets : every bundled dataset with its provenance.

    Examples
    --------
    >>> import kflow
    >>> s = kflow.datasets.load_network("knoke_information")
    >>> s.n_firms, len(s.ties)
    (10, 49)
    """
    row = _registry_row(name, "network")
    files = [data_path() / f for f in row["files"].split(";")]
    survey = read_survey(
        files[0],
        orientation=row["orientation"],
        firms=files[1] if len(files) > 1 else None,
        external=files[2] if len(files) > 2 else None,
        firm_id=row["firm_id"] or None,
        scale=(0, 3) if name in (DEMO, PANEL, "example_cluster") else None,
    )
    survey.meta["dataset"] = name  # a fresh survey: record which bundled dataset it is
    return survey


def load_table(name: str) -> pd.DataFrame:
    """Load a bundled table as a DataFrame, with the book's n.a. as missing values.

    Raises
    ------
    KflowError
        For an unknown name (the message lists the valid ones), or the name of a network.

    See Also
    --------
    load_network : the bundled networks.

    Examples
    --------
    >>> import kflow
    >>> t = kflow.datasets.load_table("collective_efficiency_by_sector")
    >>> t.columns[:2].tolist()
    ['sector', 'external_economies']
    """
    row = _registry_row(name, "table")
    return pd.read_csv(data_path() / row["files"], keep_default_na=False, na_values=[""])


def load_dataset(name: str) -> Survey | pd.DataFrame:
    """Load a bundled dataset by name: a network as a Survey, a table as a DataFrame.

    Kept for scripts written for kflow 0.1; new code should call :func:`load_network` or
    :func:`load_table`, whose return type does not depend on the name.

    Examples
    --------
    >>> import kflow
    >>> kflow.datasets.load_dataset("knoke_information").n_firms
    10
    """
    kind = _registry_row(name, None)["kind"]
    return load_table(name) if kind == "table" else load_network(name)


def _registry_row(name: str, kind: str | None) -> pd.Series:
    registry = list_datasets()
    if name not in registry.index:
        raise ParameterError(
            f"No dataset named {name!r}. The datasets are: {', '.join(registry.index)}."
        )
    row = registry.loc[name]
    if kind is not None and row["kind"] != kind:
        other = "load_table" if row["kind"] == "table" else "load_network"
        raise ParameterError(
            f"{name!r} is a {row['kind']}, not a {kind}: load it with {other}()."
        )
    return row
