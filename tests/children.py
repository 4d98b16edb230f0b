"""For the tests that pause a change in a child process (``DASHBOARD_TXN_PAUSE_AT``) and kill it there,
or run two changes at once: waiting for a child to reach a step, and the children a test started."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable

FORK = multiprocessing.get_context("fork")


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Wait until ``condition()`` (a bound on waiting, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


class Children:
    """Forked processes running ``target``; :meth:`kill_all` after each test, so that a failing test
    leaves no paused child behind (the test run would wait for it)."""

    def __init__(self, target: Callable[..., None]) -> None:
        self.target = target
        self._started: list = []

    def start(self, *args: object):
        """A new child running ``target(*args)``."""
        process = FORK.Process(target=self.target, args=args)
        process.start()
        self._started.append(process)
        return process

    def kill_all(self) -> None:
        """Kill the children still running, and reap them all."""
        while self._started:
            process = self._started.pop()
            if process.exitcode is None:
                os.kill(process.pid, signal.SIGKILL)
            process.join()
