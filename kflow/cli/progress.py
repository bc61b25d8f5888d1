"""A text progress bar on stderr for the report's steps (shown only in a terminal)."""

from __future__ import annotations

import sys

__all__ = ["progress_bar"]


def progress_bar(enabled: bool):
    """A text progress bar on stderr for the report's steps (shown only in a terminal)."""
    if not enabled:
        return None
    from kflow.reporting import N_STEPS

    total = N_STEPS
    done = [0]

    def show(message: str) -> None:
        done[0] = min(done[0] + 1, total)
        filled = round(20 * done[0] / total)
        bar = "#" * filled + "-" * (20 - filled)
        end = "\n" if done[0] == total else ""
        print(f"\r[{bar}] {done[0]}/{total} {message:<45}", end=end, file=sys.stderr, flush=True)

    return show
