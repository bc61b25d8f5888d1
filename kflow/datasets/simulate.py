"""A documented generative model of a cluster's roster survey, and the files a study would have.

:func:`simulate_cluster` draws a synthetic survey (the bundled demo is one draw);
:func:`write_roster_files` writes a survey as an "asks" roster with its firms and outside ties.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._random import as_generator
from kflow.exceptions import bad_parameter
from kflow.io.reader import read_survey
from kflow.survey import Survey

__all__ = ["simulate_cluster", "simulate_panel", "write_roster_files"]

_ACTORS = {
    "university": ["Regional University", "National Agricultural University"],
    "research institute": ["National Wine Research Institute", "Institute of Enology"],
    "consultant": [
        "Enology Consulting",
        "Vineyard Advisory Services",
        "Quality Systems Partners",
        "Export Marketing Advisers",
    ],
    "supplier": [
        "Barrel Cooperage",
        "Bottling Equipment Supplier",
        "Cork and Closures Supplier",
        "Nursery and Rootstock Supplier",
        "Lab Instruments Supplier",
    ],
    "buyer": [
        "UK Importer",
        "US Distributor",
        "Scandinavian Monopoly Buyer",
        "Domestic Retail Chain",
        "Asian Importer",
    ],
}
_SYLLABLES = [
    "Al",
    "Ba",
    "Ce",
    "Do",
    "Es",
    "Fa",
    "Gu",
    "Hi",
    "Lo",
    "Ma",
    "Ne",
    "Or",
    "Pa",
    "Ri",
    "Sa",
    "Te",
    "Va",
    "Zo",
]


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _outside_sources(rng: np.random.Generator, log_rate: np.ndarray) -> tuple[np.ndarray, list]:
    """How many distinct outside actors each firm uses, and its (firm, actor, type, value) rows."""
    actors = [(a, t) for t, names in _ACTORS.items() for a in names]
    k = np.minimum(rng.poisson(np.exp(log_rate)), len(actors))
    ext_rows = []
    for i in range(len(log_rate)):
        for a in sorted(rng.choice(len(actors), size=k[i], replace=False)):
            ext_rows.append((i, actors[a][0], actors[a][1], 1 + rng.binomial(2, 0.5)))
    return k, ext_rows


def _standardize(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else x * 0.0


def _upgrading_scores(
    rng: np.random.Generator,
    c: np.ndarray,
    flow: np.ndarray,
    k: np.ndarray,
    effects: tuple[float, float, float, float],
) -> dict[str, np.ndarray]:
    """Upgrading of each type on 0-3 from capacity, true local ties and outside sources."""
    capacity, local, external, noise = effects
    local_true = flow.sum(axis=0) + flow.sum(axis=1)
    latent = (
        capacity * c
        + local * _standardize(local_true)
        + external * _standardize(k.astype(float))
    )
    cuts = {
        "product": [-1.0, 0.0, 1.0],
        "process": [-0.8, 0.2, 1.2],
        "functional": [0.0, 1.0, 2.0],
        "intersectoral": [0.8, 1.8, 2.8],
    }
    return {
        kind: np.digitize(latent + rng.normal(scale=noise, size=len(c)), cut)
        for kind, cut in cuts.items()
    }


def simulate_cluster(
    n_firms: int = 32,
    *,
    seed: int | np.random.Generator | None = 0,
    base_logit: float = -1.9,
    source_effect: float = 1.1,
    homophily: float = 0.5,
    core_effect: float = 0.8,
    external_base: float = 0.0,
    external_capacity: float = 0.5,
    external_orientation: float = 0.9,
    nonresponse: float = 0.1,
    upgrading_capacity: float = 0.8,
    upgrading_local: float = 0.4,
    upgrading_external: float = 0.5,
    upgrading_noise: float = 0.8,
) -> Survey:
    """Draw a synthetic roster survey of a cluster from a documented generative model.

    Model, for firms i = 1..n:

    1. Latent absorptive capacity c_i ~ N(0, 1) and outward orientation o_i ~ N(0, 1)
       (e.g. exporting), independent.
    2. Capacity components, as a survey would record them: ``graduate_share`` = logistic(-1.2 +
       0.8 c_i + e) (share of graduates among technical staff), ``experience_years`` =
       round(exp(2.4 + 0.3 c_i + e)) (years of experience of the technical staff), and
       ``experimentation`` in 0..3 (c_i + e cut at -0.8, 0.2, 1.1), with e ~ N(0, 0.5).
    3. Local knowledge ties: firm j turns to firm i (knowledge flows i -> j) with probability
       logistic(base_logit + source_effect c_i - homophily |c_i - c_j| +
       core_effect max(c_i, 0) max(c_j, 0)): ties run from capable to less capable firms, among
       similar firms, and densely within a core of capable firms. Tie value (1-3) =
       1 + Binomial(2, logistic(c_i)).
    4. Outside sources: K_i ~ Poisson(exp(external_base + external_capacity c_i +
       external_orientation o_i)) distinct actors drawn from 18 named universities, research
       institutes, consultants, suppliers and buyers; value 1 + Binomial(2, 0.5).
    5. Non-response: a share ``nonresponse`` of firms (at random) did not answer: their own
       answers (whom they ask, which outside sources they use) are missing from the files.
    6. Upgrading (0-3 each): product, process, functional, intersectoral =
       cut(upgrading_capacity c_i + upgrading_local z(local ties) + upgrading_external
       z(outside sources) + N(0, upgrading_noise)), with cut points rising from product (most
       common) to intersectoral upgrading (rarest); z() standardizes the true (complete) counts.

    Parameters
    ----------
    n_firms : int
        Number of firms on the roster.
    seed : int or numpy.random.Generator, optional
        The same seed gives the same survey.
    base_logit : float
        Log-odds of a tie between two average firms.
    source_effect : float
        How much more often capable firms are turned to (per SD of capacity).
    homophily : float
        How much less likely ties are between firms of dissimilar capacity.
    core_effect : float
        Extra log-odds of ties among firms that are both above average capacity.
    external_base : float
        Log of the expected number of outside sources of an average firm.
    external_capacity : float
        Effect of capacity on the number of outside sources.
    external_orientation : float
        Effect of outward orientation (independent of capacity) on outside sources; this is what
        makes external stars possible.
    nonresponse : float
        Share of firms that did not answer.
    upgrading_capacity : float
        Effect of capacity on every upgrading score.
    upgrading_local : float
        Effect of (standardized) local ties on upgrading.
    upgrading_external : float
        Effect of (standardized) outside sources on upgrading.
    upgrading_noise : float
        Standard deviation of the noise in the upgrading scores.

    Returns
    -------
    Survey
        Read with ``orientation="asks"`` and ``scale=(0, 3)``; firms carry ``name``,
        ``respondent``, ``graduate_share``, ``experience_years``, ``experimentation``,
        ``exporter``, ``employees``, ``product``, ``process``, ``functional``,
        ``intersectoral`` and the true latent ``capacity`` (for checking methods).

    Examples
    --------
    >>> import kflow
    >>> s = kflow.datasets.simulate_cluster(20, seed=1)
    >>> s.n_firms, s.meta["orientation"]
    (20, 'asks')
    """
    if not isinstance(n_firms, (int, np.integer)) or n_firms < 4:
        raise bad_parameter("simulate_cluster", "n_firms", "an integer >= 4", n_firms)
    if not 0 <= nonresponse < 1:
        raise bad_parameter("simulate_cluster", "nonresponse", "a share in [0, 1)", nonresponse)
    rng = as_generator(seed, "simulate_cluster")
    n = int(n_firms)
    c = rng.normal(size=n)
    o = rng.normal(size=n)
    noise = rng.normal(scale=0.5, size=(3, n))
    graduate_share = np.round(_logistic(-1.2 + 0.8 * c + noise[0]), 2)
    experience = np.round(np.exp(2.4 + 0.3 * c + noise[1])).astype(int)
    experimentation = np.digitize(c + noise[2], [-0.8, 0.2, 1.1])

    logit = (
        base_logit
        + source_effect * c[:, None]
        - homophily * np.abs(c[:, None] - c[None, :])
        + core_effect * np.maximum(c, 0)[:, None] * np.maximum(c, 0)[None, :]
    )
    flow = rng.random((n, n)) < _logistic(logit)  # flow[i, j]: knowledge flows i -> j
    np.fill_diagonal(flow, False)
    values = 1 + rng.binomial(2, _logistic(c)[:, None], size=(n, n))

    k, ext_rows = _outside_sources(
        rng, external_base + external_capacity * c + external_orientation * o
    )
    respondent = rng.random(n) >= nonresponse
    ids = [f"W{i + 1:02d}" for i in range(n)]
    names = [
        f"Bodega {_SYLLABLES[i % 18]}{_SYLLABLES[(7 * i + 3) % 18].lower()}"
        f"{'' if i < 18 else ' ' + str(i // 18 + 1)}"
        for i in range(n)
    ]

    effects = (upgrading_capacity, upgrading_local, upgrading_external, upgrading_noise)
    upgrading = _upgrading_scores(rng, c, flow, k, effects)

    firms = pd.DataFrame(
        {
            V.FIRM_ID: ids,
            V.NAME: names,
            V.RESPONDENT: np.where(respondent, "yes", "no"),
            "graduate_share": graduate_share,
            "experience_years": experience,
            "experimentation": experimentation,
            "exporter": np.where(o > 0.5, 1, 0),
            "employees": np.round(np.exp(3.0 + 0.5 * c + rng.normal(scale=0.6, size=n))).astype(
                int
            ),
            **upgrading,
            "capacity": np.round(c, 4),
        }
    )
    src, dst = np.nonzero(flow)
    answered = respondent[dst]  # the asking firm (target of the flow) gave the answer
    ties = pd.DataFrame(
        {
            "respondent": [ids[j] for j in dst[answered]],
            "alter": [ids[i] for i in src[answered]],
            "value": values[src[answered], dst[answered]],
        }
    )
    external = pd.DataFrame(
        [(ids[i], a, t, "in", v) for i, a, t, v in ext_rows if respondent[i]],
        columns=[V.FIRM_ID, V.ACTOR, V.ACTOR_TYPE, V.DIRECTION, V.WEIGHT],
    )
    return read_survey(
        ties,
        orientation="asks",
        firms=firms,
        external=external if len(external) else None,
        scale=(0, 3),
    )


def simulate_panel(
    n_firms: int = 32,
    *,
    seed: int | np.random.Generator | None = 0,
    persistence: float = 0.6,
    entries: int = 2,
    exits: int = 2,
    **model: float,
) -> Survey:
    """Draw two waves (``"1"`` and ``"2"``) of a synthetic cluster survey, with firms entering
    and leaving between them.

    Wave 1 is :func:`simulate_cluster` (with ``model``'s parameters) over ``n_firms`` firms. Then
    ``exits`` firms, drawn at random, leave, and ``entries`` new firms enter. In wave 2 a reported
    tie between two firms present in both waves persists with probability ``persistence``; any
    other pair (i, j) of wave-2 firms forms a tie with probability (1 - persistence) p_ij, with
    p_ij the tie probability of the model (for an entrant, p_ij itself); ties are reported, as in
    wave 1, by the firms that answer. Firm attributes, outside sources and upgrading scores are
    those of :func:`simulate_cluster` (measured once). The firms table's ``waves`` column
    declares each firm's waves.

    Parameters
    ----------
    n_firms : int
        Firms in wave 1.
    seed : int or numpy.random.Generator, optional
        The same seed gives the same survey.
    persistence : float
        Probability that a wave-1 tie is reported again in wave 2.
    entries, exits : int
        Firms that enter (present only in wave 2) and leave (present only in wave 1).
    **model
        Parameters of :func:`simulate_cluster` (``base_logit``, ``source_effect``, ...).

    Returns
    -------
    Survey
        Two waves, read with ``orientation="asks"``, ``scale=(0, 3)`` and declared membership.

    Examples
    --------
    >>> import kflow
    >>> s = kflow.datasets.simulate_panel(20, seed=1)
    >>> s.waves, len(s.absent("1")), len(s.absent("2"))
    (['1', '2'], 2, 2)
    """
    if not 0 <= persistence <= 1:
        raise bad_parameter("simulate_panel", "persistence", "a probability in [0, 1]", persistence)
    rng = as_generator(seed, "simulate_panel")
    base = simulate_cluster(n_firms + entries, seed=rng, **model)
    ids = base.firm_ids
    entrants = ids[n_firms:]
    leavers = sorted(rng.choice(ids[:n_firms], size=exits, replace=False).tolist())
    firms = base.firms.reset_index()
    firms["waves"] = ["2" if f in entrants else "1" if f in leavers else "1 2" for f in ids]
    firms[V.RESPONDENT] = firms[V.RESPONDENT].map({True: "yes", False: "no"})
    wave1 = base.ties[~base.ties[V.SOURCE].isin(entrants) & ~base.ties[V.TARGET].isin(entrants)]
    wave2 = _second_wave(rng, base, wave1, entrants, leavers, persistence, model)
    ties = pd.concat([wave1.assign(wave="1"), wave2.assign(wave="2")], ignore_index=True)
    asks = pd.DataFrame(
        {
            "respondent": ties[V.TARGET],
            "alter": ties[V.SOURCE],
            "value": ties[V.WEIGHT].astype(int),
            "wave": ties["wave"],
        }
    )
    external = base.external if len(base.external) else None
    return read_survey(asks, orientation="asks", firms=firms, external=external, scale=(0, 3))


def _second_wave(rng, base, wave1, entrants, leavers, persistence, model) -> pd.DataFrame:
    """Wave-2 ties: wave-1 ties that persist, and new ties drawn from the model."""
    ids = base.firm_ids
    n = len(ids)
    c = base.firms["capacity"].to_numpy(dtype=float)
    params = {"base_logit": -1.9, "source_effect": 1.1, "homophily": 0.5, "core_effect": 0.8}
    params.update({k: v for k, v in model.items() if k in params})
    logit = (
        params["base_logit"]
        + params["source_effect"] * c[:, None]
        - params["homophily"] * np.abs(c[:, None] - c[None, :])
        + params["core_effect"] * np.maximum(c, 0)[:, None] * np.maximum(c, 0)[None, :]
    )
    pos = {f: i for i, f in enumerate(ids)}
    old = np.zeros((n, n), dtype=bool)
    old[wave1[V.SOURCE].map(pos).to_numpy(), wave1[V.TARGET].map(pos).to_numpy()] = True
    fresh = np.isin(ids, entrants)
    p_new = _logistic(logit) * np.where(fresh[:, None] | fresh[None, :], 1.0, 1 - persistence)
    draw = rng.random((n, n))
    flow = np.where(old, draw < persistence, draw < p_new)
    present = ~np.isin(ids, leavers)
    answers = base.firms[V.RESPONDENT].to_numpy(dtype=bool)
    flow &= present[:, None] & present[None, :] & answers[None, :]
    np.fill_diagonal(flow, False)
    values = 1 + rng.binomial(2, _logistic(c)[:, None], size=(n, n))
    src, dst = np.nonzero(flow)
    return pd.DataFrame(
        {
            V.SOURCE: [ids[i] for i in src],
            V.TARGET: [ids[j] for j in dst],
            V.WEIGHT: values[src, dst].astype(float),
        }
    )


def write_roster_files(survey: Survey, folder: str | Path) -> Path:
    """Write a survey as the files a cluster study would have: ``ties.csv`` as an "asks" roster
    (``respondent``, ``alter``, ``value``, and ``wave`` for several waves), ``firms.csv`` (with a
    ``waves`` membership column when firms are absent from some wave) and ``external.csv``.

    Examples
    --------
    >>> import tempfile, kflow
    >>> folder = kflow.datasets.write_roster_files(kflow.datasets.simulate_cluster(8, seed=3),
    ...                                            tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['external.csv', 'firms.csv', 'ties.csv']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    asks = pd.DataFrame(
        {
            "respondent": survey.ties[V.TARGET],
            "alter": survey.ties[V.SOURCE],
            "value": survey.ties[V.WEIGHT].astype(int),
        }
    )
    if survey.waves:
        asks[V.WAVE] = survey.ties[V.WAVE]
    asks.to_csv(folder / "ties.csv", index=False, lineterminator="\n")
    firms = survey.firms.reset_index()
    firms[V.RESPONDENT] = firms[V.RESPONDENT].map({True: "yes", False: "no"})
    if survey.meta.get("absent"):
        firms["waves"] = [
            " ".join(w for w in survey.waves if f not in survey.absent(w)) for f in survey.firm_ids
        ]
    firms.to_csv(folder / "firms.csv", index=False, lineterminator="\n")
    ext = survey.external.copy()
    ext[V.WEIGHT] = ext[V.WEIGHT].astype(int)
    ext.to_csv(folder / "external.csv", index=False, lineterminator="\n")
    return folder
