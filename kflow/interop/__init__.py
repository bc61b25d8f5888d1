"""Files for and from other tools: network files with kflow's results (:func:`export`) and the
roster questionnaire workbook (:func:`questionnaire`).

The readers of these formats live in :mod:`kflow.io` (``read_survey`` detects them).
"""

from kflow.interop.exporting import EXPORT_FORMATS, export
from kflow.interop.workbook import questionnaire

__all__ = ["EXPORT_FORMATS", "export", "questionnaire"]
