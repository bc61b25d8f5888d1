"""The one way kflow turns ``seed=`` into a random generator (no global random state)."""

from __future__ import annotations

import numpy as np

from kflow.exceptions import bad_parameter


def as_generator(
    seed: int | np.random.Generator | None, function: str = "this function"
) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed`` (an int, a Generator, or None).

    The same int always gives the same stream; None draws fresh entropy. ``function`` names the
    caller in the error message.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            allowed = "a non-negative int, a numpy Generator or None"
            raise bad_parameter(function, "seed", allowed, seed)
        return np.random.default_rng(seed)
    raise bad_parameter(function, "seed", "an int, a numpy Generator or None", seed)


def random_orders(rng: np.random.Generator, k: int, n: int) -> np.ndarray:
    """(k, n) array whose rows are independent, uniformly random orders of 0..n-1 (each row
    shuffled in place by the generator, cheaper than sorting random keys)."""
    return rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1)


def seed_echo(seed: int | np.random.Generator | None) -> int | str | None:
    """The seed as a result records it: the int (or None), or ``"generator"`` for a Generator."""
    if seed is None or isinstance(seed, (int, np.integer)):
        return None if seed is None else int(seed)
    return "generator"
