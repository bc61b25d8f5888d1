"""The names kflow uses everywhere: table columns, orientations, policies, and id ordering.

Column names, labels and option values live here once, so that every module and every output
speaks the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# The three survey tables (see the data model in the docs).
FIRM_ID = "firm_id"
NAME = "name"
RESPONDENT = "respondent"
SOURCE = "source"
TARGET = "target"
WEIGHT = "weight"
RELATION = "relation"
WAVE = "wave"
ACTOR = "actor"
ACTOR_TYPE = "actor_type"
DIRECTION = "direction"

DEFAULT_RELATION = "knowledge"
UNKNOWN_ACTOR_TYPE = "unspecified"

TIE_COLUMNS = (SOURCE, TARGET, WEIGHT, RELATION)
EXTERNAL_COLUMNS = (FIRM_ID, ACTOR, ACTOR_TYPE, DIRECTION, WEIGHT)

# Default column names of tie tables, tried case-insensitively when the caller names none (by
# read_survey and kflow.scale). For "asks" and "gives" files the first column of a pair holds
# the respondent, the second the named firm.
PAIR_DEFAULTS = (("source", "target"), ("respondent", "alter"), ("ego", "alter"), ("from", "to"))
WEIGHT_DEFAULTS = ("weight", "value")
# How a yes/no column (respondent) may be written.
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f"})

# Which question an input file answers; see read_survey.
ORIENTATIONS = ("asks", "gives", "flow")
LAYOUTS = ("auto", "edgelist", "matrix", "questionnaire")
NEGATIVE_POLICIES = ("error", "drop")
DUPLICATE_POLICIES = ("error", "max", "sum", "mean", "last")
MISSING_TREATMENTS = ("nan", "zero", "reconstruct")
DIRECTIONS = ("in", "out")

# Node groups in graph views.
GROUP_CLUSTER = "cluster"
GROUP_OUTSIDE = "outside"

_DIGITS = re.compile(r"(\d+)")


def natural_key(firm_id: str) -> tuple:
    """Sort key that orders ids as people do: ``P2`` before ``P10``, ``007`` before ``8``.

    Digit runs compare by value, then by their written length, so ``7`` and ``007`` stay distinct
    and the order is total and deterministic; as in ASCII, digits come before letters.
    """
    parts = _DIGITS.split(firm_id)
    key: list[tuple] = []
    for i, part in enumerate(parts):
        if i % 2:
            key.append((0, int(part), len(part), ""))
        elif part:
            key.append((1, 0, 0, part))
    return tuple(key)


def sorted_ids(ids: Iterable[str]) -> list[str]:
    """Return the distinct ids in natural order (see :func:`natural_key`)."""
    import numpy as np
    import pandas as pd

    if isinstance(ids, (set, frozenset)):  # distinct already
        distinct = np.fromiter(ids, dtype=object, count=len(ids))
    else:
        if not isinstance(ids, (pd.Series, pd.Index)):
            ids = list(ids)
        distinct = np.asarray(pd.Series(ids, dtype=object).unique(), dtype=object)
    return distinct[natural_argsort(distinct)].tolist()


def natural_argsort(distinct: Iterable[str]) -> np.ndarray:
    """The positions that put an array of distinct ids in natural order (see
    :func:`natural_key`)."""
    import numpy as np

    distinct = np.asarray(distinct, dtype=object)
    if len(distinct) >= _MANY_IDS:
        order = _natural_order(distinct)
        if order is not None:
            return order
    keys = [natural_key(i) for i in distinct.tolist()]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


# From this many ids on, ids of the common shape "letters then a number" ("F123", "1234",
# "firm_7") are ordered by array sorts; the order is the one natural_key gives.
_MANY_IDS = 2000
_SIMPLE_ID = r"^(?P<prefix>\D*)(?P<digits>\d{0,18})$"


def _natural_order(distinct) -> object | None:
    """The natural order of distinct ASCII ids shaped prefix + number, as an index array; None
    when some id has another shape (then the ids are sorted by :func:`natural_key`)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(distinct, type=pa.string())
    if not pc.all(pc.string_is_ascii(text)).as_py():
        return None
    one_prefix = _one_prefix_order(text)
    if one_prefix is not None:
        return one_prefix
    parts = pc.extract_regex(text, _SIMPLE_ID)
    if parts.null_count:
        return None
    prefix, digits = parts.field("prefix"), parts.field("digits")
    length = pc.utf8_length(digits).to_numpy()
    has_number = length > 0
    numbers = pc.cast(pc.if_else(pa.array(has_number), digits, "0"), pa.int64()).to_numpy()
    # natural_key compares a leading number before any text, then the text, then "no number"
    # before "number", then the number's value and its written length.
    prefix_rank = pd.factorize(np.asarray(prefix, dtype=object), sort=True)[0]
    return np.lexsort([length, numbers, has_number, prefix_rank])


def _one_prefix_order(text) -> object | None:
    """:func:`_natural_order` of ASCII ids that all share the first id's prefix (its leading
    non-digits) followed by 1 to 18 digits, the usual shape of a register's ids: by the number,
    then by its written length ("7" before "07"). Found by prefix tests and one cast, without
    a regular expression; None for ids of any other shape."""
    import numpy as np

    found = numbers_after(text, id_prefix(text[0].as_py()))
    if found is None:
        return None
    numbers, length = found
    if not leading_zeros(numbers, length).any():  # the numbers differ
        return np.argsort(numbers, kind="stable")
    return np.lexsort([length, numbers])


def id_prefix(firm_id: str) -> str:
    """The characters of an id before its first ASCII digit ("F" of "F12", "" of "12")."""
    return firm_id[: next((i for i, c in enumerate(firm_id) if c in "0123456789"), len(firm_id))]


def numbers_after(text, prefix: str):
    """The numbers written after ``prefix`` in every cell of an Arrow text array (or chunked
    array), and how many digits each has, when every cell is the prefix followed by 1 to 18
    ASCII digits; None otherwise (a missing cell among them). Leading zeros are allowed: "007"
    is 7 with 3 digits.

    Read from the byte buffers: the prefix is checked at the start of each cell and overwritten
    with zeros in a copy of the characters, every other byte is checked to be a digit, and the
    cells are then cast to integers as they stand ("F123" is read as "0123"), without a sliced
    copy of the text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if prefix and not prefix.isascii():
        return None
    if len(text) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if isinstance(text, pa.ChunkedArray):
        parts = [numbers_after(chunk, prefix) for chunk in text.chunks if len(chunk)]
        if any(part is None for part in parts):
            return None
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))
    if text.null_count or text.type not in (pa.string(), pa.large_string()):
        return None
    n, width = len(text), len(prefix)
    kind = np.int64 if text.type == pa.large_string() else np.int32
    ends = np.frombuffer(text.buffers()[1], dtype=kind)[text.offset: text.offset + n + 1]
    length = np.diff(ends).astype(np.int64, copy=False) - width
    if length.min() < 1 or length.max() > 18:
        return None
    lo, hi = int(ends[0]), int(ends[-1])
    chars = np.frombuffer(text.buffers()[2], dtype=np.uint8)[lo:hi].copy()
    starts = ends[:-1] - lo
    for k, byte in enumerate(prefix.encode("ascii")):
        if not (chars[starts + k] == byte).all():
            return None
        chars[starts + k] = ord("0")
    # Digits only (no sign, no "0x", which a cast would read).
    if ((chars - np.uint8(ord("0"))) > 9).any():
        return None
    digits = pa.Array.from_buffers(text.type, n, [None, pa.py_buffer(ends - lo if lo else ends),
                                                  pa.py_buffer(chars)])
    return pc.cast(digits, pa.int64()).to_numpy(), length


def leading_zeros(numbers, length):
    """Which numbers read from digits by :func:`numbers_after` were written with a leading zero
    ("007": 7 in 3 digits): a number of L > 1 digits without one is at least 10^(L-1)."""
    import numpy as np

    least = np.array([0, 0] + [10**k for k in range(1, 18)], dtype=np.int64)
    return numbers < least[length]


# Cognitive roles (Giuliani & Bell 2005, after Allen 1977), in report order.
GATEKEEPER = "technological_gatekeeper"
MUTUAL_EXCHANGER = "active_mutual_exchanger"
EXTERNAL_STAR = "external_star"
ISOLATED = "isolated_firm"
ROLES = (GATEKEEPER, EXTERNAL_STAR, MUTUAL_EXCHANGER, ISOLATED)

# Knowledge positions inside the cluster.
POSITIONS = ("source", "absorber", "mutual_exchanger", "isolated")

# Gould & Fernandez (1989) brokerage roles, in the order of R sna's columns.
BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
