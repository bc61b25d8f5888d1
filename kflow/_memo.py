"""Values kept for an object by its identity, while the object lives.

A survey, or a pandas index, is not hashed by identity (an index cannot be hashed at all), yet
some things are worth making once for one such object and finding again: the firm index of a
survey's result tables, the roster positions of its outside ties, the fact that a table of ids
is in natural order. They are kept here under (kind, id(object)) beside a weak reference to the
object, and dropped when the object is collected.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["recall", "remember"]

_HELD: dict[tuple[str, int], tuple[weakref.ref, Any]] = {}


def remember(owner: object, kind: str, value: Any) -> None:
    """Keep ``value`` as the ``kind`` of ``owner`` until ``owner`` is collected."""
    key = (kind, id(owner))
    _HELD[key] = (weakref.ref(owner, lambda _, key=key: _HELD.pop(key, None)), value)


def recall(owner: object, kind: str, make: Callable[[], Any] | None = None) -> Any:
    """The ``kind`` kept for ``owner``; when there is none, ``make()`` kept and returned (or
    None without ``make``)."""
    held = _HELD.get((kind, id(owner)))
    if held is not None and held[0]() is owner:
        return held[1]
    if make is None:
        return None
    value = make()
    remember(owner, kind, value)
    return value
