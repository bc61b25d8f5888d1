"""Write knokbur.dl: the Knoke bureaucracies' two relations as one UCINET DL file.

The layout is the one UCINET writes when it exports a multi-relational dataset (and the one
R's multiplex::write.dl writes): ``DL N= NM=``, ``FORMAT = FULLMATRIX DIAGONAL PRESENT``, quoted
``ROW LABELS``, ``COLUMN LABELS`` and ``LEVEL LABELS``, one full matrix per relation, Windows line
ends. The values come from the published edge lists bundled in datasets/knoke_bureaucracies,
so the test that reads knokbur.dl compares it with a source the DL reader never touches.

Run from the project root: python tests/data/formats/make_knokbur_dl.py
"""

import csv
from pathlib import Path

root = Path("datasets/knoke_bureaucracies")
with open(root / "nodes.csv", newline="", encoding="utf-8") as f:
    labels = [row["label"] for row in csv.DictReader(f)]
lines = [f"DL N={len(labels)} NM=2", "FORMAT = FULLMATRIX DIAGONAL PRESENT", "ROW LABELS:"]
lines += [f'"{x}"' for x in labels] + ["COLUMN LABELS:"] + [f'"{x}"' for x in labels]
lines += ["LEVEL LABELS:", '"KNOKI"', '"KNOKM"', "DATA:"]
for relation in ("information", "money"):
    with open(root / f"{relation}_edges.csv", newline="", encoding="utf-8") as f:
        arcs = {(row["source"], row["target"]) for row in csv.DictReader(f)}
    for a in labels:
        lines.append(" ".join("1" if (a, b) in arcs else "0" for b in labels))
Path("tests/data/formats/knokbur.dl").write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
