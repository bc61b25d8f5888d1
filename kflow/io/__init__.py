"""Readers and writers of survey files: edge lists, roster matrices, firm and external tables."""

from kflow.io.reader import read_survey
from kflow.io.writer import write_survey

__all__ = ["read_survey", "write_survey"]
