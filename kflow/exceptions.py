"""Exceptions raised by kflow.

Every kflow error is a :class:`KflowError` and also a built-in exception, so callers can catch
either. Messages name the file, the row, the column and the value at fault, and say what to do.
"""

from __future__ import annotations

__all__ = ["KflowError", "ParameterError", "SurveyError"]


class KflowError(Exception):
    """Base class of every error kflow raises on purpose."""


class SurveyError(KflowError, ValueError):
    """Survey input that cannot be read or does not validate.

    The message names the file (or DataFrame), the row, the column and the value, and what to do.
    """


class ParameterError(KflowError, ValueError):
    """A function was called with a parameter value it does not accept."""


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
