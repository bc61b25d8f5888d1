"""The one way kflow turns ``seed=`` into a random generator (no global random state)."""

from __future__ import annotations

import numpy as np

from kflow.exceptions import bad_parameter


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed`` (an int, a Generator, or None).

    The same int always gives the same stream; None draws fresh entropy.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise bad_parameter("seed", "seed", "an int, a numpy Generator or None", seed)
