"""Computations in forked processes, on the other cores.

Two kinds of work use them. The report's resampling (role stability and the
positions-and-upgrading statistics: thousands of resamples and permutations) takes about as long
as drawing the figures; in one process the two share one interpreter and, on a thread, take
turns at it. Path measures of a large network (betweenness from thousands of source firms) are
split into two halves of the sources, one of them computed in a child
(:func:`kflow.measures.centrality.centrality`). Each computation gets a child of its own, which
inherits the survey and the caller's state as they are when it starts (nothing is copied or
pickled on the way in) and sends its result back, pickled, through a pipe of its own as soon
as it is ready. The child is forked directly (no multiprocessing process object, queue or
semaphore: 4 ms against 9-14 ms for a process of a few hundred megabytes).

A fork is used only where it is safe: on Linux, from a process whose only Python thread is the
one asking, not from a daemonic process (which may not have children) and not from such a
child itself. A thread
that holds a lock when the process forks (a notebook's output stream, say) would leave it held
in the child for good, so a notebook kernel, a web server or any program with threads of its
own computes in its own process instead (the report on a worker thread,
:class:`kflow.reporting.model.Context`), as do other platforms and systems where no process can
be forked. Each resampling draws from
its own generator seeded by the options, and the halves of a path measure are added in the same
order, so the results, and the report, are the same bytes whichever way they ran.

A computation that fails or warns in the child, or a child that stops without sending it, is run
again in the calling process: a failure then raises, and a warning is given, exactly where and
as it would have been.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["ForkedTask", "fork_allowed", "in_child"]

# Set in a child forked by ForkedTask, and only there.
_IN_CHILD = False

# Children that sent their result and were still ending when it was read: collected without
# waiting at the next fork (a child that has ended and is not collected holds only its entry
# in the process table).
_ENDING: list[int] = []


def in_child() -> bool:
    """Whether this process is a child forked by :class:`ForkedTask` (where a computation may
    draw a figure: matplotlib's style settings are one per process, so a thread may not)."""
    return _IN_CHILD


def fork_allowed() -> bool:
    """Whether a child may be forked for a computation (see the module's notes); never from
    such a child itself."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
        and not _IN_CHILD
    )


class ForkedTask:
    """One computation run in a forked child process; :meth:`result` collects it.

    The child sends its result, pickled, through a pipe of its own and ends; the end of the
    pipe without a result means that the child failed, warned or stopped.

    Parameters
    ----------
    compute : callable
        The computation, called as ``compute(*args, **kwargs)`` in the child.
    args, kwargs
        Its arguments, inherited by the child (not pickled).

    Raises
    ------
    OSError
        When no process can be forked.
    """

    def __init__(self, compute: Callable[..., Any], args: tuple = (), kwargs: dict | None = None):
        self.compute, self.args, self.kwargs = compute, args, dict(kwargs or {})
        self._sent = False  # whether the child's result arrived
        self.exitcode: int | None = None  # the child's, once collected (minus a signal's number)
        _collect_ended()
        for stream in (sys.stdout, sys.stderr):  # not written twice, by the child too
            with contextlib.suppress(Exception):
                stream.flush()
        reading, writing = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12 and later warn on any fork from a process with threads, counting the
            # native pools of numpy's and Arrow's libraries, which reset themselves in the
            # child; Python threads, the ones that matter, were ruled out by fork_allowed.
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                pid = os.fork()
            except OSError:
                os.close(reading)
                os.close(writing)
                raise
        if pid == 0:  # the child: it never returns from _run
            os.close(reading)
            _run(compute, args, self.kwargs, writing)
        os.close(writing)
        self._pid, self._reading = pid, reading

    def result(self) -> Any:
        """The result as the child sent it, or computed here when the child failed or warned
        at it, or stopped before sending it."""
        payload = self._receive()
        self._sent = payload is not None
        if payload is not None:
            return pickle.loads(payload)
        return self.compute(*self.args, **self.kwargs)

    def _receive(self) -> bytes | None:
        """The child's pickled result, read until the child closes its pipe; None when it
        ended without one."""
        with os.fdopen(self._reading, "rb") as pipe:
            self._reading = None
            message = pipe.read()
        return message[1:] if message[:1] == b"1" else None

    def close(self) -> None:
        """Stop the child if it still runs (the caller ended early) and release its pipe. A
        child that has sent its result is ending on its own and is not waited for: tearing
        down a copy of a large process takes a few milliseconds."""
        if self._reading is not None:
            os.close(self._reading)
            self._reading = None
        if not self._sent:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            self.exitcode = _wait(self._pid)
        elif not _collected(self._pid):
            _ENDING.append(self._pid)


def _collected(pid: int) -> bool:
    """Whether the child has ended, and is now collected."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:  # collected already
        return True


def _wait(pid: int) -> int | None:
    """The child's exit code, once it has ended (None if it was collected already)."""
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:
        return None


def _collect_ended() -> None:
    _ENDING[:] = [pid for pid in _ENDING if not _collected(pid)]


def _run(compute: Callable[..., Any], args: tuple, kwargs: dict, writing: int) -> None:
    """The child: the computation and its result sent at once, or, when it failed or warned,
    nothing (the computation is then run again in the calling process, which raises or warns
    as it would have). The child ends here, without running the caller's exit handlers."""
    global _IN_CHILD
    _IN_CHILD = True
    code = 1
    try:
        message = b"0"
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = compute(*args, **kwargs)
            if not caught:
                message = b"1" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # whatever it was, it is raised again by the caller
            pass
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(message)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        code = 0
    finally:
        os._exit(code)
