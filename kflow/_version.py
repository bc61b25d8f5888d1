"""The version of kflow, in one place (the package root and the readers import it from here)."""

__version__ = "0.1.0"
