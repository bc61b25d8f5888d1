"""Write the reports a reviewer should look at, and pictures of them.

For the bundled demo cluster (and the Kecskemet printing cluster, when its files are beside the
project in ../shared/data): the report in HTML, Markdown and PDF, Chromium screenshots of the
HTML at 1280 px and 390 px wide, and the PDF's first page as PNG (pdftoppm, from poppler-utils).

    python scripts/report_screenshots.py [OUT_DIR]

Needs chromium on PATH (Debian: apt-get install chromium poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

import kflow
from kflow.reporting.output import find_browser

ROOT = Path(__file__).resolve().parents[1]
KEC = ROOT.parent / "shared" / "data" / "kecskemet_printing_cluster" / "original_saom_cluster"
WIDTHS = {"desktop": (1280, 2400), "phone": (390, 2400)}


def kecskemet() -> kflow.Survey | None:
    if not KEC.exists():
        return None
    firms = None
    for name in ("external_ties", "export", "age", "emp", "ownership"):
        part = pd.read_csv(KEC / f"{name}.csv", sep=";", index_col=0)
        firms = part if firms is None else firms.join(part)
    firms = firms.rename(columns={"external links": "external_links"}).rename_axis("firm_id")
    return kflow.read_survey(
        {"2012": KEC / "KNetwork1.csv", "2015": KEC / "KNetwork2.csv"},
        orientation="asks",
        firms=firms.reset_index(),
        membership="infer",
    )


def shoot(browser: str, html: Path, png: Path, size: tuple[int, int]) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={profile}", f"--screenshot={png}",
             f"--window-size={size[0]},{size[1]}", html.resolve().as_uri()],
            check=True, capture_output=True, timeout=300,
        )


def main(out: Path) -> None:
    browser = find_browser()
    jobs = {"demo": (kflow.datasets.load_network("wine_cluster"), {})}
    kec = kecskemet()
    if kec is not None:
        jobs["kecskemet"] = (kec, {"external": "external_links", "outcomes": ["export_vol"],
                                   "title": "Kecskemét printing cluster"})
    for name, (survey, options) in jobs.items():
        folder = kflow.report(survey, out / name, formats=("html", "md", "csv", "pdf"),
                              force=True, n_resamples=200, n_permutations=999, **options)
        for label, size in WIDTHS.items():
            shoot(browser, folder / "report.html", out / f"{name}-{label}.png", size)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1",
                            str(folder / "report.pdf"), str(out / f"{name}-pdf")], check=True)
        print(f"{name}: {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "report-screenshots"))
