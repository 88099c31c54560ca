"""Two assessments at once (what ``alliance serve`` allows) leave the process as they found it.

The planning stage silences HiGHS by pointing file descriptor 1 at /dev/null for
the length of each solve. Two solves in two threads (the web app runs
``MAX_CONCURRENT`` = 2 assessments in worker threads) must still leave fd 1 where
it was; otherwise the server's stdout (uvicorn's access log, anything printed)
is silently lost for the rest of its life.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from alliance.data import Dataset
from alliance.web.app import MAX_CONCURRENT, AssessRequest, run_request


def _fd1_target() -> tuple[int, int]:
    st = os.fstat(1)
    return st.st_dev, st.st_ino


def test_concurrent_assessments_keep_stdout(dataset: Dataset) -> None:
    saved = os.dup(1)
    before = _fd1_target()
    errors: list[BaseException] = []
    results: list[dict[str, Any]] = []

    def one(seed: int) -> None:
        try:
            results.append(run_request(dataset, AssessRequest(draws=1000, seed=seed)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=one, args=(s,)) for s in range(MAX_CONCURRENT)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        after = _fd1_target()
    finally:
        os.dup2(saved, 1)  # repair fd 1 for the rest of the session either way
        os.close(saved)
    assert not errors, errors
    assert len(results) == MAX_CONCURRENT
    devnull = os.stat(os.devnull)
    assert after != (devnull.st_dev, devnull.st_ino), "fd 1 was left on /dev/null"
    assert after == before, "fd 1 points somewhere else after two concurrent assessments"
