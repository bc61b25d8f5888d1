"""Readers and writers of survey files: edge lists, roster matrices, firm and external tables.

This package also attaches the in-memory builders to the data model: ``Survey.from_frames`` and
``Survey.from_networkx`` (as python-igraph attaches its readers to ``Graph``), so that
:mod:`kflow.survey` imports no reader.
"""

from kflow.io.builders import from_frames, from_networkx
from kflow.io.reader import read_survey
from kflow.io.writer import write_survey
from kflow.survey import Survey

Survey.from_frames = staticmethod(from_frames)  # type: ignore[attr-defined]
Survey.from_networkx = staticmethod(from_networkx)  # type: ignore[attr-defined]

__all__ = ["from_frames", "from_networkx", "read_survey", "write_survey"]
