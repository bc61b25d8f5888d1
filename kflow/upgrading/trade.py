"""Trade-based product upgrading (Amighini, book chapter 8) and Kaplinsky & Readman's outcomes.

From the export value X, volume Q and unit value V = X / Q of a country's exports of a product,
and world export volume Q^w with market share M = Q / Q^w, between years t and t + n:

- (8.1) dX = V_{t+n} dQ + Q_t dV
- (8.2) dX = V_{t+n} (M_t dQ^w + dM Q^w_t + dM dQ^w) + Q_t dV

Both identities hold exactly; ``trade_decomposition`` reports each term and checks that they add
up to dX.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow._validation import require_columns
from kflow.exceptions import DataError

__all__ = [
    "CHANGE_COLUMNS",
    "RAW_COLUMNS",
    "classify_product_upgrading",
    "kaplinsky_readman_figure",
    "trade_decomposition",
]

RAW_COLUMNS = ("reporter", "product", "year", "value", "quantity")
CHANGE_COLUMNS = (
    "export_value_growth",
    "world_demand_growth",
    "share_start",
    "share_end",
    "unit_value_change",
)


def _require(table: pd.DataFrame, columns, function: str) -> None:
    require_columns(table, columns, function, hint=f"Expected {', '.join(columns)}.")


def trade_decomposition(
    trade: pd.DataFrame,
    *,
    reporter: str | None = None,
    product: str | None = None,
    start: int,
    end: int,
    world: str = "World",
) -> pd.DataFrame:
    r"""The terms of equations 8.1 and 8.2 for each reporter and product.

    Parameters
    ----------
    trade : pandas.DataFrame
        Raw records: ``reporter``, ``product``, ``year``, ``value`` (export value) and
        ``quantity`` (export volume); world totals are the rows whose reporter is ``world``.
    reporter, product : str, optional
        Restrict to one reporter or product (default: all, except the world rows).
    start, end : int
        The years t and t + n.
    world : str
        The reporter name of the world totals.

    Returns
    -------
    pandas.DataFrame
        One row per (reporter, product): the levels (``x_``, ``q_``, ``v_``, ``qw_``, ``m_`` at
        ``start`` and ``end``), the changes (``delta_x``, ``delta_q``, ``delta_v``,
        ``delta_qw``, ``delta_m``), the terms of 8.1 (``volume_effect`` = V_{t+n} dQ,
        ``unit_value_effect`` = Q_t dV) and 8.2 (``world_demand_effect`` = V_{t+n} M_t dQ^w,
        ``market_share_effect`` = V_{t+n} dM Q^w_t, ``interaction_effect`` = V_{t+n} dM dQ^w,
        with ``unit_value_effect``), ``residual_8_1``, ``residual_8_2`` (sum of terms - dX) and
        ``adds_up``.

    Notes
    -----
    With export value :math:`X = V Q` (unit value V, volume Q), world volume :math:`Q^w` and market
    share :math:`M = Q / Q^w`, between years t and t + n (eqs. 8.1 and 8.2 of [1]_, ch. 8):

    .. math::

        \Delta X = V_{t+n} \Delta Q + Q_t \Delta V

        \Delta X = V_{t+n} \left(M_t \Delta Q^w + \Delta M\, Q^w_t + \Delta M \Delta Q^w\right)
        + Q_t \Delta V

    ``adds_up`` checks both identities to a relative tolerance of 1e-9.

    See Also
    --------
    classify_product_upgrading : the Table 8.1 and Kaplinsky-Readman verdicts.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import trade_decomposition
    >>> t = pd.DataFrame({"reporter": ["A", "A", "World", "World"], "product": "salmon",
    ...                   "year": [1990, 2000, 1990, 2000], "value": [100.0, 300.0, 1000, 1500],
    ...                   "quantity": [50.0, 100.0, 500, 600]})
    >>> d = trade_decomposition(t, start=1990, end=2000).iloc[0]
    >>> float(d["delta_x"]), float(d["volume_effect"]), float(d["unit_value_effect"])
    (200.0, 150.0, 50.0)
    """
    fn = "trade_decomposition"
    _require(trade, RAW_COLUMNS, fn)
    data = trade[trade["year"].isin([start, end])]
    totals = data[data["reporter"] == world]
    if totals.empty:
        raise DataError(
            f"{fn}: no world totals (rows with reporter {world!r}) for "
            f"{start} and {end}; add them or pass world=."
        )
    rows = []
    countries = data[data["reporter"] != world]
    if reporter is not None:
        countries = countries[countries["reporter"] == reporter]
    if product is not None:
        countries = countries[countries["product"] == product]
    for (rep, prod), part in countries.groupby(["reporter", "product"], sort=True):
        by_year = part.set_index("year")
        w = totals[totals["product"] == prod].set_index("year")
        for year, frame, who in (
            (start, by_year, rep),
            (end, by_year, rep),
            (start, w, world),
            (end, w, world),
        ):
            if year not in frame.index:
                raise DataError(
                    f"{fn}: no record for reporter {who!r}, product {prod!r}, year {year}."
                )
        rows.append(_decompose(fn, rep, prod, by_year, w, start, end))
    return pd.DataFrame(rows)


def _decompose(
    fn: str, rep: str, prod: str, by_year: pd.DataFrame, w: pd.DataFrame, start: int, end: int
) -> dict:
    """Levels, changes and the terms of eqs. 8.1 and 8.2 for one reporter and product."""
    x0, x1 = float(by_year.loc[start, "value"]), float(by_year.loc[end, "value"])
    q0, q1 = float(by_year.loc[start, "quantity"]), float(by_year.loc[end, "quantity"])
    w0, w1 = float(w.loc[start, "quantity"]), float(w.loc[end, "quantity"])
    if min(q0, q1, w0, w1) <= 0:
        raise DataError(
            f"{fn}: reporter {rep!r}, product {prod!r}: quantities must be "
            "positive to define unit values and market shares."
        )
    v0, v1 = x0 / q0, x1 / q1
    m0, m1 = q0 / w0, q1 / w1
    dx, dq, dv, dw, dm = x1 - x0, q1 - q0, v1 - v0, w1 - w0, m1 - m0
    terms = {
        "volume_effect": v1 * dq,
        "unit_value_effect": q0 * dv,
        "world_demand_effect": v1 * m0 * dw,
        "market_share_effect": v1 * dm * w0,
        "interaction_effect": v1 * dm * dw,
    }
    r1 = terms["volume_effect"] + terms["unit_value_effect"] - dx
    r2 = (
        terms["world_demand_effect"]
        + terms["market_share_effect"]
        + terms["interaction_effect"]
        + terms["unit_value_effect"]
        - dx
    )
    tol = 1e-9 * max(1.0, abs(x0), abs(x1))
    levels = {"x": (x0, x1), "q": (q0, q1), "v": (v0, v1), "qw": (w0, w1), "m": (m0, m1)}
    row: dict = {"reporter": rep, "product": prod, "start": start, "end": end}
    for name, (first, last) in levels.items():
        row[f"{name}_start"], row[f"{name}_end"] = first, last
    row.update(delta_x=dx, delta_q=dq, delta_v=dv, delta_qw=dw, delta_m=dm, **terms)
    row.update(
        residual_8_1=r1, residual_8_2=r2, adds_up=abs(r1) <= tol and abs(r2) <= tol
    )
    return row


def _verdicts(dx, dqw, dm, dv) -> tuple[list, list, list]:
    t81, kr, why = [], [], []
    for x, w, m, v in zip(dx, dqw, dm, dv, strict=True):
        unknown = [
            name
            for name, val in (
                ("export value change", x),
                ("world demand change", w),
                ("market share change", m),
                ("unit value change", v),
            )
            if val is None or np.isnan(val)
        ]
        if unknown:
            t81.append("undetermined")
            why.append(f"{', '.join(unknown)} not available (n.a.)")
        elif x > 0 and v > 0 and ((w > 0 and m >= 0) or m > 0):
            t81.append("product_upgrading")
            why.append("")
        else:
            t81.append("ambiguous")
            why.append("")
        if m is None or np.isnan(m) or v is None or np.isnan(v) or v == 0:
            kr.append("undetermined")
        elif m >= 0 and v > 0:
            kr.append("upgrading")
        elif m >= 0:
            kr.append("immiserizing_growth")
        elif v < 0:
            kr.append("withdrawal")
        else:
            kr.append("niche_shift")
    return t81, kr, why


def classify_product_upgrading(
    trade: pd.DataFrame,
    *,
    start: int | None = None,
    end: int | None = None,
    world: str = "World",
) -> pd.DataFrame:
    r"""Table 8.1's product-upgrading verdict and Kaplinsky & Readman's outcome.

    Table 8.1 (Amighini): product upgrading when dX > 0 and dV > 0 and either (dQ^w > 0 and
    dM >= 0) or dM > 0; every other case is ``ambiguous`` (downgrading or withdrawal). Kaplinsky &
    Readman (2000): ``upgrading`` (share not falling, unit value rising), ``immiserizing_growth``
    (share not falling, unit value falling), ``withdrawal`` (both falling), ``niche_shift`` (share
    falling, unit value rising). A value marked n.a. gives ``undetermined`` with the reason.

    Parameters
    ----------
    trade : pandas.DataFrame
        Either raw records (see :func:`trade_decomposition`; then ``start`` and ``end`` are
        needed), or already-computed changes in the form of the book's Tables 8.2 and 8.4:
        ``export_value_growth``, ``world_demand_growth``, ``share_start``, ``share_end``,
        ``unit_value_change`` (NaN = n.a.). In that form the unit value change is relative to
        competitors, as the book prints it.
    start, end : int, optional
        Years, for raw records.
    world : str
        Reporter name of the world totals in raw records.

    Returns
    -------
    pandas.DataFrame
        The input rows (or the decomposition) with ``share_change``, ``table_8_1``,
        ``kaplinsky_readman`` and ``reason``.

    Notes
    -----
    Table 8.1 of [1]_: product upgrading when :math:`\Delta X > 0`, :math:`\Delta V > 0` and either
    (:math:`\Delta Q^w > 0` and :math:`\Delta M \ge 0`) or :math:`\Delta M > 0`; every other case is
    ambiguous. The four outcomes of [2]_ from the change in market share and in relative unit
    value: upgrading (share up or level, unit value up), immiserizing growth (share up, unit value
    down), withdrawal (share down, unit value down), niche shift (share down, unit value up).

    See Also
    --------
    trade_decomposition : the terms of eqs. 8.1 and 8.2.
    kaplinsky_readman_figure : the four outcomes drawn.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Kaplinsky, R., & Readman, J. (2005). Globalization and upgrading: what can (and cannot)
       be learnt from international trade statistics in the wood furniture sector? *Industrial and
       Corporate Change*, 14(4), 679-703. https://doi.org/10.1093/icc/dth065

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import classify_product_upgrading
    >>> chile = pd.DataFrame({"export_value_growth": [18.4], "world_demand_growth": [11.0],
    ...                       "share_start": [20.79], "share_end": [38.44],
    ...                       "unit_value_change": [17.48]})
    >>> classify_product_upgrading(chile)[["table_8_1", "kaplinsky_readman"]].values.tolist()
    [['product_upgrading', 'upgrading']]
    """
    if all(c in trade.columns for c in CHANGE_COLUMNS):
        out = trade.copy()
        values = out[list(CHANGE_COLUMNS)].apply(pd.to_numeric, errors="coerce")
        dm = (values["share_end"] - values["share_start"]).to_numpy()
        dx = values["export_value_growth"].to_numpy()
        dqw = values["world_demand_growth"].to_numpy()
        dv = values["unit_value_change"].to_numpy()
    else:
        if start is None or end is None:
            raise DataError(
                "classify_product_upgrading: the table has neither the change columns "
                f"({', '.join(CHANGE_COLUMNS)}) nor, with start= and end=, raw records "
                f"({', '.join(RAW_COLUMNS)})."
            )
        out = trade_decomposition(trade, start=start, end=end, world=world)
        dm, dx = out["delta_m"].to_numpy(), out["delta_x"].to_numpy()
        dqw, dv = out["delta_qw"].to_numpy(), out["delta_v"].to_numpy()
    t81, kr, why = _verdicts(dx, dqw, dm, dv)
    out["share_change"] = dm
    out["table_8_1"] = t81
    out["kaplinsky_readman"] = kr
    out["reason"] = why
    return out


def kaplinsky_readman_figure(table: pd.DataFrame, *, label: str = "country") -> str:
    r"""Market-share change against unit-value change with the four Kaplinsky-Readman quadrants,
    as SVG text (deterministic). ``table`` is the output of :func:`classify_product_upgrading`.

    Notes
    -----
    Market share change against unit value change, one point per row, with the four quadrants of
    [2]_ named (upgrading, immiserizing growth, withdrawal, niche shift), as used in [1]_, ch. 8.

    See Also
    --------
    classify_product_upgrading : the verdicts the quadrants stand for.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Kaplinsky, R., & Readman, J. (2005). Globalization and upgrading: what can (and cannot)
       be learnt from international trade statistics in the wood furniture sector? *Industrial and
       Corporate Change*, 14(4), 679-703. https://doi.org/10.1093/icc/dth065

    Examples
    --------
    >>> import kflow
    >>> from kflow.upgrading import classify_product_upgrading, kaplinsky_readman_figure
    >>> t = classify_product_upgrading(kflow.datasets.load_table("mexico_furniture_exports"))
    >>> kaplinsky_readman_figure(t).startswith("<svg")
    True
    """
    import matplotlib
    from matplotlib.figure import Figure

    from kflow._plotting import RC, svg_text

    unit = "unit_value_change" if "unit_value_change" in table.columns else "delta_v"
    data = table.dropna(subset=["share_change", unit])
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(6.5, 5.0))
        ax = fig.subplots()
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.scatter(data["share_change"], data[unit], s=22, color="#2874a6", zorder=3)
        names = data[label] if label in data.columns else data.index.astype(str)
        for x, y, name in zip(data["share_change"], data[unit], names, strict=True):
            ax.annotate(str(name), (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6.5)
        for x, y, text in (
            (0.98, 0.97, "upgrading"),
            (0.02, 0.97, "niche shift"),
            (0.02, 0.03, "withdrawal"),
            (0.98, 0.03, "immiserizing growth"),
        ):
            ax.text(
                x,
                y,
                text,
                transform=ax.transAxes,
                ha="right" if x > 0.5 else "left",
                va="top" if y > 0.5 else "bottom",
                color="#7f8c8d",
                fontsize=8,
            )
        ax.set_xlabel("change in market share")
        ax.set_ylabel("change in unit value")
        ax.set_title("Kaplinsky & Readman outcomes")
        return svg_text(fig)
