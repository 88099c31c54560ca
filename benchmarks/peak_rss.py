"""The one resident-memory sampler the benchmarks share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import psutil

T = TypeVar("T")


class PeakRSS:
    """Sample the process's resident memory every 10 ms in a thread while in use."""

    def __init__(self) -> None:
        self.start = 0
        self.peak = 0
        self._stop = threading.Event()
        self._proc = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> PeakRSS:
        self.start = self.peak = self._proc.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def mb(self) -> float:
        """Peak resident memory [MiB]."""
        return self.peak / 2**20

    @property
    def increase_bytes(self) -> int:
        """Peak resident memory above the start [bytes]."""
        return self.peak - self.start


def timed_with_peak_rss(run: Callable[[], T]) -> tuple[float, int, T]:
    """Wall time [s], peak resident memory above the start [bytes] and the result of ``run()``."""
    with PeakRSS() as memory:
        t0 = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - t0
    return seconds, memory.increase_bytes, result
