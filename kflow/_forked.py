"""Computations in forked processes, on the other cores.

Two kinds of work use them. The report's resampling (role stability and the
positions-and-upgrading statistics: thousands of resamples and permutations) takes about as long
as drawing the figures; in one process the two share one interpreter and, on a thread, take
turns at it. Path measures of a large network (betweenness from thousands of source firms) are
split into two halves of the sources, one of them computed in a child
(:func:`kflow.measures.centrality.centrality`). Each computation gets a child of its own, which
inherits the survey and the caller's state as they are when it starts (nothing is copied or
pickled on the way in) and sends its result back, pickled, as soon as it is ready.

A fork is used only where it is safe: on Linux, from a process whose only Python thread is the
one asking, and not from a daemonic process (which may not have children). A thread
that holds a lock when the process forks (a notebook's output stream, say) would leave it held
in the child for good, so a notebook kernel, a web server or any program with threads of its
own computes in its own process instead (the report on a worker thread,
:class:`kflow.reporting.model.Context`), as do other platforms and systems where no process can
be forked (some containers have no semaphores for multiprocessing). Each resampling draws from
its own generator seeded by the options, and the halves of a path measure are added in the same
order, so the results, and the report, are the same bytes whichever way they ran.

A computation that fails or warns in the child, or a child that stops without sending it, is run
again in the calling process: a failure then raises, and a warning is given, exactly where and
as it would have been.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["ForkedTask", "fork_allowed", "in_child"]

# Set in a child forked by ForkedTask, and only there.
_IN_CHILD = False


def in_child() -> bool:
    """Whether this process is a child forked by :class:`ForkedTask` (where a computation may
    draw a figure: matplotlib's style settings are one per process, so a thread may not)."""
    return _IN_CHILD


def fork_allowed() -> bool:
    """Whether a child may be forked for a computation (see the module's notes)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


class ForkedTask:
    """One computation run in a forked child process; :meth:`result` collects it.

    Parameters
    ----------
    compute : callable
        The computation, called as ``compute(*args, **kwargs)`` in the child.
    args, kwargs
        Its arguments, inherited by the child (not pickled).
    """

    def __init__(self, compute: Callable[..., Any], args: tuple = (), kwargs: dict | None = None):
        self.compute, self.args, self.kwargs = compute, args, dict(kwargs or {})
        self._sent = False  # whether the child's result arrived
        context = multiprocessing.get_context("fork")
        self._queue = context.Queue()
        self._process = context.Process(
            target=_run, args=(compute, args, self.kwargs, self._queue), daemon=True)
        with warnings.catch_warnings():
            # Python 3.12 and later warn on any fork from a process with threads, counting the
            # native pools of numpy's and Arrow's libraries, which reset themselves in the
            # child; Python threads, the ones that matter, were ruled out by fork_allowed.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._process.start()

    def result(self) -> Any:
        """The result as the child sent it, or computed here when the child failed or warned
        at it, or stopped before sending it."""
        done, payload = self._receive()
        self._sent = done
        if done:
            return pickle.loads(payload)
        return self.compute(*self.args, **self.kwargs)

    def _receive(self) -> tuple[bool, bytes | None]:
        """Wait for the child's message; (False, None) once none will come."""
        while True:
            try:
                return self._queue.get(timeout=0.05)
            except queue.Empty:
                if self._process.is_alive():
                    continue
            try:  # sent just before it ended
                return self._queue.get(timeout=0.05)
            except queue.Empty:
                return False, None

    def close(self) -> None:
        """Stop the child if it still runs (the caller ended early) and release its queue. A
        child that has sent its result is ending on its own and is not waited for: tearing
        down a copy of a large process takes a few milliseconds, and multiprocessing collects
        the ended child at its next fork or when the program ends."""
        if not self._sent:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
        self._queue.close()
        self._queue.join_thread()


def _run(compute: Callable[..., Any], args: tuple, kwargs: dict, results) -> None:
    """The child: the computation, its result sent at once; or, when it failed or warned, that
    it is to be run again in the calling process (which then raises or warns as it would
    have)."""
    global _IN_CHILD
    _IN_CHILD = True
    message: tuple[bool, bytes | None] = (False, None)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = compute(*args, **kwargs)
        if not caught:
            message = (True, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # whatever it was, it is raised again by the caller
        pass
    results.put(message)
