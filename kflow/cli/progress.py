"""A progress bar on stderr for the report's steps (tqdm; shown only in a terminal)."""

from __future__ import annotations

import sys

__all__ = ["progress_bar"]


def progress_bar(enabled: bool):
    """A function to call once per report step, drawing a tqdm bar on stderr; None when not
    ``enabled`` (output that is not a terminal gets no bar)."""
    if not enabled:
        return None
    from tqdm import tqdm

    from kflow.reporting import N_STEPS

    class Bar(tqdm):
        # No monitor thread: the bar moves once per step, and a second thread would keep the
        # report from running its resampling in a forked process (kflow._forked).
        monitor_interval = 0

    bar = Bar(total=N_STEPS, file=sys.stderr, unit="step", ascii=" #", ncols=80,
              bar_format="[{bar:20}] {n_fmt}/{total_fmt} {desc}")

    def show(message: str) -> None:
        bar.set_description_str(message, refresh=False)
        bar.update(1)
        if bar.n >= N_STEPS:
            bar.close()

    return show
