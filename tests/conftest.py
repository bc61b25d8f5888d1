"""Shared fixtures: paths to the real networks kept beside the project, and small surveys."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DATASETS = ROOT / "datasets"


def shared(*parts: str) -> Path:
    """Path to a file of the shared real-network data, skipping the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present at {path} (it is kept outside the package)")
    return path


def bundled(*parts: str) -> Path:
    """Path to a real network shipped in the checkout's ``datasets/`` (present in every clone)."""
    path = DATASETS.joinpath(*parts)
    assert path.exists(), f"{path} should be bundled in datasets/"
    return path
