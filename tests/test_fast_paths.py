"""The vectorized paths of ingestion give exactly what the general rules give.

Large inputs are read by Arrow's CSV parser, their numbers cast by Arrow, and their ids ordered
by array sorts; each is compared here, on generated inputs, with the general path it replaces
(pandas' reader, the decimal-comma-aware parser, :func:`kflow.vocabulary.natural_key`), which the
rest of the test suite checks against hand-worked files.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kflow import vocabulary as V
from kflow.io.tables import TEXT, general_numbers, parse_numbers
from kflow.io.text import _read_delimited

SETTINGS = settings(max_examples=80, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
CELL = st.text(alphabet="ab1,.;\t -éx\u200b", max_size=5)


def _general_reader(text: str, sep: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str,
                        keep_default_na=False, skip_blank_lines=False, engine="c")
    return frame.fillna("")


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=12),
       blank=st.lists(st.booleans(), max_size=12), sep=st.sampled_from([",", ";", "\t"]),
       end=st.sampled_from(["\n", "\n\n", ""]))
def test_arrow_reader_reads_what_pandas_reads(rows, blank, sep, end):
    lines = [sep.join(r) for r in rows]
    for k, b in enumerate(blank[: len(lines)]):
        if b:
            lines.insert(k, "")
    text = "\n".join(lines) + end
    fast = _read_delimited(text, sep)
    if fast is None:  # ragged lines: the general reader takes them (and reports them)
        return
    slow = _general_reader(text, sep)
    assert fast.shape == slow.shape
    assert (fast.astype(object).to_numpy() == slow.astype(object).to_numpy()).all()


def test_arrow_reader_leaves_quoted_and_ragged_files_to_pandas():
    assert _read_delimited('a,b\n"x,y",1\n', ",") is None
    assert _read_delimited("a,b,c\n1,2\n", ",") is None
    assert _read_delimited("a,b\n1,2\n", ",").shape == (2, 2)


NUMBER = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "1,5", "1,000", "-0", ".5", "1.", "nan", "inf", "x", "1e3", "+2"]),
)


@SETTINGS
@given(cells=st.lists(NUMBER, min_size=1, max_size=20))
def test_arrow_number_cast_parses_what_the_general_rules_parse(cells):
    fast = parse_numbers(pd.Series(cells, dtype=TEXT))
    general = general_numbers(pd.Series(cells, dtype=object))
    np.testing.assert_array_equal(fast[1], general[1])
    np.testing.assert_array_equal(fast[0], general[0])


def test_number_cast_by_hand():
    numbers, bad = parse_numbers(pd.Series(["1", "", "2.5", "nan", "1,5", "3"], dtype=TEXT))
    np.testing.assert_array_equal(numbers, [1, np.nan, 2.5, np.nan, 1.5, 3])
    assert bad.tolist() == [False, False, False, True, False, False]


ID = st.builds(lambda p, n: p + n,
               st.sampled_from(["", "F", "G", "AB", "A", "firm_", "a", "Z-", "_", "x y"]),
               st.one_of(st.just(""), st.integers(0, 10**6).map(str),
                         st.integers(0, 99).map(lambda k: "00" + str(k)))).filter(bool)


@SETTINGS
@given(ids=st.lists(ID, min_size=1, max_size=60), seed=st.integers(0, 2**16))
def test_natural_order_of_many_ids_is_natural_key_order(ids, seed):
    # Padded with generated ids to pass the size from which the array sort is used.
    rng = np.random.default_rng(seed)
    padding = [f"{p}{k}" for p, k in zip(rng.choice(["F", "", "B"], V._MANY_IDS),
                                         rng.integers(0, 10**5, V._MANY_IDS), strict=True)]
    every = ids + padding
    assert V._natural_order(np.asarray(sorted(set(every)), dtype=object)) is not None
    assert V.sorted_ids(every) == sorted(set(every), key=V.natural_key)


@SETTINGS
@given(numbers=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 2)), min_size=1,
                        max_size=40),
       prefix=st.sampled_from(["", "F", "firm_"]), seed=st.integers(0, 2**16))
def test_natural_order_of_ids_with_one_prefix_is_natural_key_order(numbers, prefix, seed):
    # One prefix throughout (the ids of a register), with and without leading zeros.
    rng = np.random.default_rng(seed)
    ids = [prefix + "0" * zeros + str(k) for k, zeros in numbers]
    every = ids + [f"{prefix}{k}" for k in rng.integers(0, 10**5, V._MANY_IDS)]
    assert V.sorted_ids(every) == sorted(set(every), key=V.natural_key)


def test_ids_of_other_shapes_fall_back_to_natural_key():
    ids = [f"P{k}x{k % 7}" for k in range(V._MANY_IDS)] + ["Café 2", "١٢"]
    assert V._natural_order(np.asarray(ids, dtype=object)) is None
    assert V.sorted_ids(ids) == sorted(set(ids), key=V.natural_key)
    assert V.sorted_ids(["F10", "F2", "F2", "7", "007"]) == ["7", "007", "F2", "F10"]


@SETTINGS
@given(rows=st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from("ABCD"),
                               st.sampled_from(["k", "t", ""])), min_size=1, max_size=30),
       coded=st.booleans())
def test_repeated_records_found_by_sorting_are_those_pandas_finds(rows, coded):
    from kflow.io._common import _repeats

    records = pd.DataFrame(rows, columns=["source", "target", "relation"], dtype=object)
    if coded:
        records[["source", "target"]] = records[["source", "target"]].astype("category")
    every, later = _repeats(records, ["source", "target", "relation"])
    key = ["source", "target", "relation"]
    assert every.tolist() == records.duplicated(key, keep=False).tolist()
    assert later.tolist() == records.duplicated(key, keep="first").tolist()


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=2, max_size=2), min_size=1, max_size=8),
       bom=st.booleans(), lead=st.integers(0, 2), sep=st.sampled_from([",", ";", None]),
       tail=st.sampled_from([b"", b"\n", b"\xe9\n", b"\xff"]))
def test_plain_utf8_bytes_read_as_the_decoded_text_is(tmp_path_factory, rows, bom, lead, sep,
                                                      tail):
    # The plain-file path parses the bytes as read; the general path decodes them first (and
    # detects a non-UTF-8 file). Both must give the same cells, lines, encoding and separator.
    import kflow.io.text as text_module

    body = "\n".join(";".join(r) if sep == ";" else ",".join(r) for r in [["source", "x"], *rows])
    raw = (b"\xef\xbb\xbf" if bom else b"") + b"\n" * lead + body.encode("utf-8") + tail
    path = tmp_path_factory.mktemp("plain") / "ties.csv"
    path.write_bytes(raw)

    def read(general: bool):
        saved = text_module._read_plain_utf8
        if general:
            text_module._read_plain_utf8 = lambda *a: None
        try:
            return text_module.read_text(path, "ties.csv", None, sep)
        except Exception as exc:  # the same error either way
            return type(exc).__name__, str(exc)
        finally:
            text_module._read_plain_utf8 = saved

    fast, general = read(False), read(True)
    if isinstance(general[0], str):
        assert fast == general
        return
    assert list(fast[1]) == list(general[1]) and fast[2:4] == general[2:4]
    assert (fast[0].astype(object).to_numpy() == general[0].astype(object).to_numpy()).all()
    if fast[4]:  # nothing to trim, as found from the bytes: every cell is its own strip
        cells = general[0].astype(object).to_numpy().ravel()
        assert all(c == c.strip() for c in cells)


@SETTINGS
@given(n_ties=st.integers(1, 60), n_firms=st.integers(2, 40), n_relations=st.integers(1, 3),
       n_waves=st.integers(0, 3), values=st.sampled_from([(1, 3), (0, 1), (-2, 2), (5, 5)]),
       seed=st.integers(0, 2**16))
def test_ties_sorted_with_their_values_in_the_key_are_ordered_as_by_argsort(
        n_ties, n_firms, n_relations, n_waves, values, seed):
    from kflow.io.assemble import _order_of, _sorted_with_weights

    rng = np.random.default_rng(seed)
    sizes = [n_relations, *([n_waves] if n_waves else []), n_firms, n_firms]
    # distinct keys, as ties are once repeats are merged
    cells = rng.choice(int(np.prod(sizes)), size=min(n_ties, int(np.prod(sizes))), replace=False)
    keys, rest = [], cells
    for size in sizes[::-1]:
        rest, digit = np.divmod(rest, size)
        keys.append((digit.astype(np.int32 if size == n_firms else np.int8), size))
    keys = keys[::-1]
    weight = rng.integers(values[0], values[1] + 1, len(cells)).astype(float)
    parts, sorted_weight = _sorted_with_weights(keys, weight)
    order = _order_of(keys)
    for (key, _), part in zip(keys, parts, strict=True):
        assert part.dtype == key.dtype
        assert part.tolist() == key[order].tolist()
    assert sorted_weight.dtype == float
    assert sorted_weight.tolist() == weight[order].tolist()


def test_ties_with_other_values_are_ordered_by_argsort():
    from kflow.io.assemble import _sorted_with_weights

    keys = [(np.array([1, 0], dtype=np.int32), 2), (np.array([0, 1], dtype=np.int32), 2)]
    assert _sorted_with_weights(keys, np.array([0.5, 1.0])) is None  # not whole numbers
    assert _sorted_with_weights(keys, np.array([1.0, 1e9])) is None  # a range too long
    assert _sorted_with_weights(keys, np.array([np.nan, 1.0])) is None
    assert _sorted_with_weights([(np.zeros(2, np.int32), 2**32)] * 2, np.ones(2)) is None
    parts, weight = _sorted_with_weights(keys, np.array([3.0, 2.0]))
    assert [p.tolist() for p in parts] == [[0, 1], [1, 0]] and weight.tolist() == [2.0, 3.0]


@SETTINGS
@given(chunks=st.lists(st.lists(CELL, max_size=6), min_size=1, max_size=4),
       start=st.integers(0, 3))
def test_ascii_check_from_the_bytes_is_the_cell_by_cell_check(chunks, start):
    import pyarrow as pa

    from kflow.io.bytescan import all_ascii

    arrays = [pa.array(c, pa.large_string()) for c in chunks]
    arrays[0] = arrays[0].slice(min(start, len(arrays[0])))  # a buffer wider than its cells
    column = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(arrays)))
    expected = all(v.isascii() for a in arrays for v in a.to_pylist())
    assert all_ascii(column) is expected
    assert all_ascii(column.astype(object)) is expected


@SETTINGS
@given(chunks=st.lists(st.lists(st.sampled_from(["", "a", "é", " ", "12"]), max_size=6),
                       min_size=1, max_size=4),
       start=st.integers(0, 3), large=st.booleans())
def test_empty_cells_from_the_offsets_are_the_cells_equal_to_nothing(chunks, start, large):
    import pyarrow as pa

    from kflow.io.bytescan import empty_cells

    kind = pa.large_string() if large else pa.string()
    arrays = [pa.array(c, kind) for c in chunks]
    arrays[0] = arrays[0].slice(min(start, len(arrays[0])))  # offsets wider than the cells
    column = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(arrays, kind)))
    expected = [v == "" for a in arrays for v in a.to_pylist()]
    assert empty_cells(column).tolist() == expected
    assert empty_cells(column.astype(object)).tolist() == expected
    assert empty_cells(pd.Series([v for a in arrays for v in a.to_pylist()], dtype="str")
                       ).tolist() == expected


def test_a_missing_cell_is_not_an_empty_one():
    import pyarrow as pa

    from kflow.io.bytescan import empty_cells

    column = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(["", None, "x"])))
    assert empty_cells(column).tolist() == [True, False, False]


def _numbers_cell_by_cell(cells: list[str], prefix: str):
    """numbers_after's rule read cell by cell: the prefix, then 1 to 18 ASCII digits."""
    rest = [c[len(prefix):] for c in cells]
    if not all(c.startswith(prefix) and 1 <= len(r) <= 18 and r.isascii() and r.isdigit()
               for c, r in zip(cells, rest, strict=True)):
        return None
    return [[int(r) for r in rest], [len(r) for r in rest]]


@SETTINGS
@given(cells=st.lists(st.one_of(
           st.builds(lambda p, d: p + d, st.sampled_from(["F", "", "FG", "G", "é"]),
                     st.text(alphabet="0123456789", max_size=20)),
           st.text(alphabet="F0179 +-x\u0663", max_size=6)), max_size=8),
       prefix=st.sampled_from(["F", "", "FG"]), start=st.integers(0, 3), large=st.booleans())
def test_numbers_from_the_bytes_are_the_numbers_read_cell_by_cell(cells, prefix, start, large):
    import pyarrow as pa

    kind = pa.large_string() if large else pa.string()
    text = pa.array(cells, kind).slice(min(start, len(cells)))  # bytes outside its cells
    expected = _numbers_cell_by_cell(text.to_pylist(), prefix)
    for found in (V.numbers_after(text, prefix),  # from the bytes
                  V.numbers_after(pa.chunked_array([text], kind), prefix)):  # chunk by chunk
        if expected is None:
            assert found is None
        else:
            assert found is not None
            assert [found[0].tolist(), found[1].tolist()] == expected


@SETTINGS
@given(rows=st.lists(st.lists(st.text(alphabet="ab1 \t\x0b\x1c\x1fé\u3000", max_size=4),
                              min_size=2, max_size=2), min_size=1, max_size=6),
       sep=st.sampled_from([",", ";", "\t"]))
def test_a_file_with_nothing_to_trim_has_no_cell_with_surrounding_whitespace(rows, sep):
    from kflow.io.text import _nothing_to_trim

    rows = [[c.replace(sep, "") for c in r] for r in rows]  # plain cells hold no separator
    raw = "\n".join(sep.join(r) for r in rows).encode("utf-8")
    if _nothing_to_trim(raw, sep):
        assert all(c == c.strip() for r in rows for c in r)
    if all(c.isascii() and c.isalnum() for r in rows for c in r if c):
        assert _nothing_to_trim(raw, sep)  # letters and digits only: found so from the bytes


@SETTINGS
@given(ties=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(-1, 3)),
                     min_size=1, max_size=30),
       relations=st.sampled_from([None, ["advice"], ["advice", "trust"]]),
       duplicates=st.sampled_from(["max", "sum", "last", "error"]),
       negative=st.sampled_from(["error", "drop"]), seed=st.integers(0, 2**16))
def test_ties_sorted_once_to_find_repeats_read_as_without_that_sort(
        tmp_path_factory, ties, relations, duplicates, negative, seed):
    # The sort that finds repeated ties also orders the survey's ties (one relation, no wave,
    # ids coded against the roster); without it the reader merges, drops and orders as always.
    import kflow
    import kflow.io.ties as ties_module

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(ties, columns=["source", "target", "weight"])
    frame[["source", "target"]] = "F" + frame[["source", "target"]].astype(str)
    if relations:
        frame["relation"] = rng.choice(relations, len(frame))
    path = tmp_path_factory.mktemp("ties") / "ties.csv"
    frame.to_csv(path, index=False)

    def read(sorted_once: bool):
        saved = ties_module.presorted
        if not sorted_once:
            ties_module.presorted = lambda records: None
        try:
            s = kflow.read_survey(path, orientation="flow", duplicates=duplicates,
                                  negative=negative)
        except kflow.KflowError as exc:
            return type(exc).__name__, str(exc)
        finally:
            ties_module.presorted = saved
        return s.ties, s.validation.dropped, s.firm_ids

    once, general = read(True), read(False)
    if isinstance(general[0], str):
        assert once == general
        return
    pd.testing.assert_frame_equal(once[0], general[0])
    pd.testing.assert_frame_equal(once[1], general[1])
    assert once[2] == general[2]


def test_packed_ties_find_repeats_and_leave_out_a_value():
    from kflow.io.tieorder import pack_sorted

    keys = [(np.array([2, 0, 1, 0], np.int32), 3), (np.array([1, 1, 0, 1], np.int32), 3)]
    packed = pack_sorted(keys, np.array([1.0, 0.0, 3.0, 2.0]))
    assert packed.repeats()  # (0, 1) twice, with other values
    packed = pack_sorted([keys[0], (np.array([1, 2, 0, 0], np.int32), 3)],  # distinct
                            np.array([1.0, 0.0, 3.0, 2.0]))
    assert not packed.repeats()
    (first, second), values = packed.without_value(0.0).unpack()
    assert first.tolist() == [0, 1, 2] and second.tolist() == [0, 0, 1]
    assert values.tolist() == [2.0, 3.0, 1.0]
    # values a cast to integers would not keep: left to the general path
    assert pack_sorted(keys, np.array([1e308, 1e308, 1.0, 1.0])) is None
    assert pack_sorted(keys, np.array([np.nan, 1.0, 1.0, 1.0])) is None
