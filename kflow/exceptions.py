"""Exceptions and warnings raised by kflow.

Every kflow error is a :class:`KflowError` and also a built-in exception, so callers can catch
either:

- :class:`SurveyError` (a ``ValueError``): survey input (files or DataFrames given to
  :func:`kflow.read_survey`) that cannot be read or does not validate;
- :class:`DataError` (a ``ValueError``): a plain table given to an analysis (outcomes, cluster
  tables, trade data) that lacks a column or holds a value off its scale;
- :class:`ParameterError` (a ``ValueError``): a parameter outside its allowed values;
- :class:`NotFittedError` (a ``ValueError`` and ``AttributeError``): an estimator used before
  ``fit``.

Messages name the file (or table), the row, the column and the value at fault, and say what to
do. :class:`ConvergenceWarning` is issued when an iterative solver stops at its iteration limit.
"""

from __future__ import annotations

__all__ = [
    "ConvergenceWarning",
    "DataError",
    "KflowError",
    "KflowWarning",
    "NotFittedError",
    "ParameterError",
    "SurveyError",
]


class KflowError(Exception):
    """Base class of every error kflow raises on purpose."""


class SurveyError(KflowError, ValueError):
    """Survey input that cannot be read or does not validate.

    The message names the file (or DataFrame), the row, the column and the value, and what to do.
    """


class DataError(KflowError, ValueError):
    """A table passed to an analysis (not a survey file) lacks a column or holds a bad value."""


class ParameterError(KflowError, ValueError):
    """A function was called with a parameter value it does not accept."""


class NotFittedError(KflowError, ValueError, AttributeError):
    """An estimator such as :class:`kflow.RoleClassifier` was used before ``fit``."""


class KflowWarning(UserWarning):
    """Base class of the warnings kflow issues."""


class ConvergenceWarning(KflowWarning):
    """An iterative solver stopped at its iteration limit before meeting its tolerance."""


def show_value(value: object) -> str:
    """A data value as a message shows it: plain Python, integral floats without '.0'."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value)


def bad_parameter(function: str, name: str, allowed: str, got: object) -> ParameterError:
    """Build the one error message kflow uses for a parameter outside its allowed values."""
    return ParameterError(
        f"The {name!r} parameter of {function} must be {allowed}. Got {got!r} instead."
    )
