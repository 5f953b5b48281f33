"""Waiting for something on a slow, loaded machine: by a generous deadline, never by a count.

A wait that gives up after a number of attempts, or lets one kind of timeout escape, fails on a
busy CI machine though nothing is wrong. :func:`wait_until` retries every failure of ``get``
that a slow machine can cause (a refused or reset connection, a read that timed out, a server
answering 5xx while it restarts) until its own deadline, and only then fails, saying what it saw
last.
"""

from __future__ import annotations

import http.client
import time
import urllib.request
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

DEADLINE_SECONDS = 300.0
# What a slow or restarting server on this machine can answer, never a reason to give up early:
# OSError covers a refused or reset connection, a timed-out read and urllib's URLError (an HTTP
# 5xx included); HTTPException a response cut short.
TRANSIENT = (OSError, http.client.HTTPException)


def wait_until(
    get: Callable[[], T],
    condition: Callable[[T], bool],
    *,
    deadline: float = DEADLINE_SECONDS,
    interval: float = 0.25,
    what: str = "the condition",
) -> T:
    """Call ``get`` until ``condition`` holds for its result; fail once ``deadline`` seconds
    have passed, with the last result or error."""
    give_up = time.monotonic() + deadline
    last: object = None
    while True:
        try:
            value = get()
        except TRANSIENT as error:
            last = error
        else:
            if condition(value):
                return value
            last = value
        if time.monotonic() >= give_up:
            pytest.fail(f"{what} not met within {deadline:.0f} s; last: {str(last)[:300]!r}")
        time.sleep(interval)


def fetch_text(url: str, timeout: float = 30) -> str:
    """The body of ``url`` as text (loopback only); errors propagate for wait_until to retry."""
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")
