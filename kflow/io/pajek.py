"""Pajek network (``.net``) and project (``.paj``) files.

Read: ``*Network`` sections (a project may hold several; ``network=`` picks one by name, else
each becomes a relation), ``*Vertices`` (the label is the firm id; coordinates, shapes and colours
are ignored), ``*Arcs`` and ``*Edges`` (an edge is a tie both ways), ``*Arcslist`` and
``*Edgeslist``, ``*Matrix``, the relation labels of multi-relational files (``*Arcs :2
"trust"``), ``*Partition`` and ``*Vector`` sections (firm attributes), and time intervals
(``[3]``, ``[1-*]``, ``[1,3-5]``), read as waves. ``%`` starts a comment; keywords are
case-insensitive. Other sections are left out with a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kflow.exceptions import SurveyError
from kflow.io.netfile import ForeignTables, firms_table, read_text, records_table, relation_name

__all__ = ["read_pajek"]

_TOKEN = re.compile(r'"([^"]*)"|(\[[^\]]*\])|([^\s"]+)')
_RELATION = re.compile(r':\s*(\d+)\s*(?:"([^"]*)"|(\S+))?')
_WAVES_NOTE = re.compile(r"^%\s*kflow waves:\s*(.*)$", re.I)
_CODES_NOTE = re.compile(r"^%\s*kflow codes\s+(\S+):\s*(.*)$", re.I)
_RESULTS_NOTE = re.compile(r"^%\s*kflow_results:\s*(.*)$", re.I)
_TIES = ("*arcs", "*edges", "*arcslist", "*edgeslist", "*matrix")


@dataclass
class _Network:
    name: str
    line: int
    ids: list[str] = field(default_factory=list)
    vertex_times: dict[str, str] = field(default_factory=dict)
    arcs: list[tuple] = field(default_factory=list)   # (line, a, b, value, label, times)
    matrix_rows: dict[str | None, int] = field(default_factory=dict)  # rows read per *Matrix


@dataclass
class _State:
    path: Path
    networks: list[_Network] = field(default_factory=list)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    wave_names: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)


def _tokens(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) if m.group(2) is None else m.group(2)
            for m in _TOKEN.finditer(text)]


def read_pajek(path: Path, options: dict) -> ForeignTables:
    """Read a Pajek file into the tables the survey reader checks (see the module)."""
    text, _ = read_text(path, options.get("encoding"))
    state = _State(path)
    _parse(state, text.splitlines())
    networks = _chosen(state, options.get("network"))
    rows, times = _records(state, networks)
    ids: list[str] = []
    for net in networks:
        ids += [i for i in net.ids if i not in set(ids)]
    attributes = {
        name: [state.codes.get(name, {}).get(values.get(i, ""), values.get(i)) for i in ids]
        for name, values in state.attributes.items() if name not in state.results
    }
    notes = [f"{path.name}: read as Pajek ({len(networks)} network"
             f"{'s' if len(networks) > 1 else ''}: "
             f"{', '.join(repr(n.name) for n in networks)}; {len(ids)} vertices)"]
    vertex_times = {i: t for net in networks for i, t in net.vertex_times.items()}
    if vertex_times and times:
        attributes["waves"] = [";".join(_expand(vertex_times[i], times, state, 0, state.wave_names))
                               if i in vertex_times else "" for i in ids]
    elif vertex_times:
        notes.append(f"{path.name}: the time intervals of {len(vertex_times)} vertices were "
                     "ignored (no tie has a time interval, so there are no waves)")
    notes += [f"{path.name}: {s}" for s in state.skipped]
    left = [r for r in state.results if r in state.attributes]
    if left:
        notes.append(f"{path.name}: {len(left)} kflow results of the export were left out of "
                     "the firms table (kflow computes them again)")
    return ForeignTables(records_table(path.name, rows), firms_table(path.name, ids, attributes),
                         None, tuple(notes))


def _parse(state: _State, lines: list[str]) -> None:
    section, arg, expect = "", "", 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("%"):
            _comment(state, line)
            continue
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            section, arg, expect = _open(state, line, number, section, arg)
            continue
        if section == "*vertices":
            _vertex(state, line, number)
        elif section in _TIES:
            _ties(state, section, arg, line, number)
        elif section in ("*partition", "*vector") and expect:
            _attribute(state, arg, line, number)
        elif section == "":
            raise SurveyError(f"{state.path.name}, line {number}: {line!r} comes before any "
                              "section; a Pajek file starts with *Network or *Vertices.")


def _comment(state: _State, line: str) -> None:
    """The notes kflow writes into its own Pajek files: wave names, partition codes, results."""
    waves = _WAVES_NOTE.match(line)
    codes = _CODES_NOTE.match(line)
    results = _RESULTS_NOTE.match(line)
    if waves:
        state.wave_names.update(_pairs(waves.group(1)))
    elif codes:
        state.codes[codes.group(1)] = _pairs(codes.group(2))
    elif results:
        state.results += [r.strip() for r in results.group(1).split(",") if r.strip()]


def _pairs(text: str) -> dict[str, str]:
    """The code -> label map of a ``% kflow`` comment (a JSON object)."""
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _open(state: _State, line: str, number: int, section: str, arg: str):
    word, _, rest = line.partition(" ")
    word = word.lower()
    rest = rest.strip()
    if word == "*network":
        state.networks.append(_Network(rest.strip('"') or f"network {len(state.networks) + 1}",
                                       number))
        return word, rest, 0
    if word == "*vertices":
        counts = rest.split()
        if len(counts) > 1:
            raise SurveyError(
                f"{state.path.name}, line {number}: '*Vertices {rest}' declares a two-mode "
                "network (firms by events or actors), not a firm-to-firm roster. Give the "
                "firm-to-firm network, or the firms' outside ties as external=."
            )
        if section in ("*partition", "*vector"):
            state.attributes.setdefault(arg, {})
            return section, arg, 1
        if not state.networks or state.networks[-1].ids:
            state.networks.append(_Network(f"network {len(state.networks) + 1}", number))
        return word, rest, 0
    if word in _TIES:
        if not state.networks:
            raise SurveyError(f"{state.path.name}, line {number}: {line!r} before *Vertices.")
        return word, rest, 0
    if word in ("*partition", "*vector"):
        name = rest.strip('"').rsplit(".", 1)[0].strip() or word[1:]
        state.attributes[name] = {}
        return word, name, 0
    state.skipped.append(f"line {number}: the section {line!r} was left out (kflow reads "
                         "networks, partitions and vectors)")
    return word.lower(), rest, 0


def _vertex(state: _State, line: str, number: int) -> None:
    net = state.networks[-1]
    tokens = _tokens(line)
    if not tokens[0].isdigit() or int(tokens[0]) != len(net.ids) + 1:
        raise SurveyError(
            f"{state.path.name}, line {number}: vertex {tokens[0]!r}; *Vertices lists the "
            f"vertices numbered 1, 2, 3, … in order (expected {len(net.ids) + 1})."
        )
    label = tokens[1].strip() if len(tokens) > 1 and not tokens[1].startswith("[") else tokens[0]
    if label in net.ids:
        raise SurveyError(f"{state.path.name}, line {number}: the label {label!r} is given to "
                          "two vertices; every firm needs a label of its own.")
    net.ids.append(label)
    times = [t for t in tokens[1:] if t.startswith("[")]
    if times:
        net.vertex_times[label] = times[-1]


def _ties(state: _State, section: str, arg: str, line: str, number: int) -> None:
    net = state.networks[-1]
    relation = _RELATION.match(arg)
    label = (relation.group(2) or relation.group(3)) if relation else None
    tokens = _tokens(line)
    if re.fullmatch(r"\d+:", tokens[0]):
        label = label or f"relation {tokens[0][:-1]}"
        tokens = tokens[1:]
    times = next((t for t in tokens if t.startswith("[")), None)
    plain = [t for t in tokens if not t.startswith("[")]
    if section == "*matrix":
        _matrix_row(state, net, plain, number, label, times)
        return
    if section in ("*arcs", "*edges"):
        if len(plain) < 2:
            raise SurveyError(f"{state.path.name}, line {number}: {line!r}: an arc needs two "
                              "vertex numbers.")
        ends = [_vertex_id(state, net, t, number) for t in plain[:2]]
        value = plain[2] if len(plain) > 2 and plain[2] not in ("l", "c", "w", "p") else "1"
        pairs = [(ends[0], ends[1])] + ([(ends[1], ends[0])] if section == "*edges" else [])
    else:
        ego = _vertex_id(state, net, plain[0], number)
        alters = [_vertex_id(state, net, t, number) for t in plain[1:]]
        value = "1"
        pairs = [(ego, a) for a in alters]
        if section == "*edgeslist":
            pairs += [(a, ego) for a in alters]
    net.arcs += [(number, a, b, value, label, times) for a, b in pairs]


def _matrix_row(state: _State, net: _Network, values: list[str], number: int, label, times):
    i = net.matrix_rows.get(label, 0)
    if len(values) != len(net.ids) or i >= len(net.ids):
        raise SurveyError(f"{state.path.name}, line {number}: a *Matrix row holds one value per "
                          f"vertex ({len(net.ids)}); this one holds {len(values)}.")
    net.matrix_rows[label] = i + 1
    net.arcs += [(number, net.ids[i], net.ids[j], v, label, times)
                 for j, v in enumerate(values)]


def _vertex_id(state: _State, net: _Network, token: str, number: int) -> str:
    if token.isdigit() and 1 <= int(token) <= len(net.ids):
        return net.ids[int(token) - 1]
    if token in net.ids:
        return token
    raise SurveyError(
        f"{state.path.name}, line {number}: vertex {token!r} is not one of the {len(net.ids)} "
        "vertices of *Vertices (numbers 1 to n). Correct the number, or add the vertex."
    )


def _attribute(state: _State, name: str, line: str, number: int) -> None:
    values = state.attributes[name]
    if not state.networks:
        raise SurveyError(f"{state.path.name}, line {number}: a partition or vector before any "
                          "network; kflow gives its values to the vertices of the network above.")
    ids = state.networks[-1].ids
    if len(values) >= len(ids):
        raise SurveyError(f"{state.path.name}, line {number}: the {name!r} section holds more "
                          f"values than the {len(ids)} vertices of the network above it.")
    values[ids[len(values)]] = line.split()[0]


def _chosen(state: _State, name: str | None) -> list[_Network]:
    if not state.networks:
        raise SurveyError(f"{state.path.name}: no *Vertices section; is this a Pajek file?")
    if name is None:
        return state.networks
    found = [n for n in state.networks if n.name == name]
    if not found:
        names = ", ".join(repr(n.name) for n in state.networks)
        raise SurveyError(f"{state.path.name}: no *Network named {name!r}; the networks are "
                          f"{names}. Pass one of them as network=, or leave it out for all.")
    return found


def _records(state: _State, networks: list[_Network]) -> tuple[list[tuple], list[int]]:
    """Records (line, source, target, value, relation, wave) and the time points of the file."""
    points = sorted({p for net in networks for a in net.arcs if a[5]
                     for p in _points(a[5], state, a[0]) if p is not None})
    many = len(networks) > 1
    # A network of a project is a relation named after it; its arc sets add their labels only
    # when it has several (*Arcs :1 "advice", *Arcs :2 "trust").
    several = {net.name: len({a[4] for a in net.arcs}) > 1 for net in networks}

    def key_of(net: _Network, label: str | None) -> tuple[str, str]:
        return (net.name if many else "", (label or "") if several[net.name] or not many else "")

    labels = sorted({key_of(net, a[4]) for net in networks for a in net.arcs})
    position = {key: k for k, key in enumerate(labels, start=1)}
    rows: list[tuple] = []
    for net in networks:
        for line, a, b, value, label, times in net.arcs:
            key = key_of(net, label)
            name = " / ".join(k for k in key if k) or None
            relation = relation_name(name, position[key], len(labels))
            waves = _expand(times, points, state, line, state.wave_names) if points else [None]
            rows += [(line, a, b, value, relation, w) for w in waves]
    return rows, points


def _points(spec: str, state: _State, line: int) -> list[int | None]:
    """The time points of ``[1-3,5]`` (``*`` as None: open-ended)."""
    out: list[int | None] = []
    for part in spec.strip("[]").split(","):
        part = part.strip()
        bounds = part.split("-")
        try:
            if len(bounds) == 1:
                out.append(int(bounds[0]))
            else:
                lo = int(bounds[0])
                hi = None if bounds[1].strip() == "*" else int(bounds[1])
                out += [lo] if hi is None else list(range(lo, hi + 1))
        except ValueError:
            raise SurveyError(f"{state.path.name}, line {line}: time interval {spec!r}; write "
                              "[3], [1-3], [2-*] or [1,3-5].") from None
    return out


def _expand(spec, points: list[int], state: _State, line: int, names: dict[str, str]) -> list:
    """The waves (as labels) an interval covers; a tie without one is in every wave."""
    if not spec:
        chosen = points
    else:
        _points(spec, state, line)
        chosen = []
        for part in spec.strip("[]").split(","):
            lo_hi = part.strip().split("-")
            lo = int(lo_hi[0])
            hi = lo if len(lo_hi) == 1 else (max(points) if lo_hi[1].strip() == "*"
                                             else int(lo_hi[1]))
            chosen += list(range(lo, hi + 1))
    return [names.get(str(p), str(p)) for p in sorted(set(chosen))]
