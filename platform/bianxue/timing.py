"""One timer for the phases of long runs (bulk imports, benchmarks).

A slow import has to show where its time went, and the benchmark has to report the same phases,
so both use this clock: wall and CPU seconds accumulated per label, each lap logged at DEBUG.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager


class PhaseClock:
    """Wall and CPU seconds spent per phase.

    ``clock("label")`` (or ``clock.lap``) charges the time since the previous lap to ``label``;
    ``with clock.timed("label"):`` charges the time of a block, wherever it is called from.
    """

    def __init__(self, *, logger: logging.Logger | None = None, name: str = "phase"):
        self.seconds: dict[str, tuple[float, float]] = {}
        self._logger, self._name = logger, name
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    @property
    def phases(self) -> dict[str, float]:
        """Wall seconds per phase, rounded to milliseconds."""
        return {label: round(wall, 3) for label, (wall, _cpu) in self.seconds.items()}

    def _charge(self, label: str, wall: float, cpu: float) -> None:
        total_wall, total_cpu = self.seconds.get(label, (0.0, 0.0))
        self.seconds[label] = (total_wall + wall, total_cpu + cpu)
        if self._logger is not None:
            self._logger.debug("%s: %s %.2fs", self._name, label, wall)

    def lap(self, label: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self._charge(label, wall - self._wall, cpu - self._cpu)
        self._wall, self._cpu = wall, cpu

    __call__ = lap

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._charge(label, time.perf_counter() - wall, time.process_time() - cpu)
