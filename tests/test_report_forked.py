"""The report's resampling in a forked process: the same report as on a thread, and every
failure of the child handled in the report's process."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

import kflow
from kflow._forked import ForkedTask, fork_allowed

FAST = {"n_resamples": 30, "n_permutations": 99}

needs_fork = pytest.mark.skipif(not fork_allowed(), reason="the report forks only on Linux, "
                                "from a process with one Python thread")


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@needs_fork
def test_forked_and_threaded_resampling_give_the_same_report(tmp_path, monkeypatch):
    s = kflow.datasets.simulate_cluster(40, seed=2)
    kflow.report(s, tmp_path / "forked", seed=3, **FAST)
    monkeypatch.setattr("kflow.reporting.sections.fork_allowed", lambda: False)
    kflow.report(s, tmp_path / "thread", seed=3, **FAST)
    assert _files(tmp_path / "forked") == _files(tmp_path / "thread")


def test_the_report_forks_only_when_it_is_alone_on_linux(monkeypatch):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork_allowed()  # a second Python thread (a notebook's, a server's)
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not fork_allowed()


def _answer(x):
    return {"answer": x * 2}


def _fails():
    raise ValueError("no outcome columns")


def _warns():
    warnings.warn("few firms", UserWarning, stacklevel=2)
    return 7


def _dies_in_the_child(parent):
    if os.getpid() != parent:
        os._exit(3)
    return "computed in the report's process"


def _sleeps():
    time.sleep(60)


@needs_fork
def test_results_come_back_from_the_child():
    tasks = ForkedTask(_answer, (21,))
    try:
        assert tasks.result() == {"answer": 42}
    finally:
        tasks.close()


@needs_fork
def test_a_failure_in_the_child_is_raised_in_the_report():
    tasks = ForkedTask(_fails)
    try:
        with pytest.raises(ValueError, match="no outcome columns"):
            tasks.result()
    finally:
        tasks.close()


@needs_fork
def test_a_report_without_outcomes_is_the_same_forked_or_on_a_thread(tmp_path, monkeypatch):
    s = kflow.datasets.simulate_cluster(30, seed=1)
    s = kflow.read_survey(s.ties, orientation="flow",
                          firms=s.firms[["name", "respondent"]].reset_index(),
                          external=s.external)
    kflow.report(s, tmp_path / "forked", seed=0, **FAST)
    monkeypatch.setattr("kflow.reporting.sections.fork_allowed", lambda: False)
    kflow.report(s, tmp_path / "thread", seed=0, **FAST)
    assert _files(tmp_path / "forked") == _files(tmp_path / "thread")
    assert b"outcomes not in the firms table" in _files(tmp_path / "forked")[Path("report.md")]


@needs_fork
def test_a_warning_in_the_child_is_given_in_the_report():
    tasks = ForkedTask(_warns)
    try:
        with pytest.warns(UserWarning, match="few firms"):
            assert tasks.result() == 7
    finally:
        tasks.close()


@needs_fork
def test_a_child_that_stops_is_replaced_by_the_report_process():
    tasks = ForkedTask(_dies_in_the_child, (os.getpid(),))
    try:
        assert tasks.result() == "computed in the report's process"
    finally:
        tasks.close()
    assert tasks.exitcode == 3


@needs_fork
def test_closing_stops_a_child_still_at_work():
    tasks = ForkedTask(_sleeps)
    start = time.perf_counter()
    tasks.close()
    assert time.perf_counter() - start < 10
    assert tasks.exitcode == -signal.SIGTERM  # stopped, and collected


@needs_fork
def test_without_processes_to_fork_the_report_falls_back_to_the_thread(tmp_path, monkeypatch):
    s = kflow.datasets.simulate_cluster(30, seed=5)
    kflow.report(s, tmp_path / "forked", seed=1, **FAST)

    def no_semaphores(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # as in containers without /dev/shm

    monkeypatch.setattr("kflow.reporting.model.ForkedTask", no_semaphores)
    kflow.report(s, tmp_path / "fallback", seed=1, **FAST)
    assert _files(tmp_path / "fallback") == _files(tmp_path / "forked")


def test_reading_an_edge_list_leaves_no_thread_behind(tmp_path):
    # The reader codes the id columns and parses the values on threads of its own; they end
    # with it, so that a report made next can still fork.
    before = threading.active_count()
    path = tmp_path / "ties.csv"
    path.write_text("source,target,weight\nF1,F2,1\nF2,F3,2\nF3,F1,3\n", encoding="utf-8")
    survey = kflow.read_survey(path, orientation="flow")
    assert survey.firm_ids == ["F1", "F2", "F3"]
    assert threading.active_count() == before


@needs_fork
def test_children_that_sent_their_result_are_collected_and_fork_no_further():
    from kflow import _forked

    for _ in range(3):
        tasks = ForkedTask(fork_allowed)
        try:
            assert tasks.result() is False  # a child forks no child of its own
        finally:
            tasks.close()
    time.sleep(0.5)
    _forked._collect_ended()  # what the next fork does first
    assert _forked._ENDING == []
