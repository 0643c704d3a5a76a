"""Helpers shared by the benchmark scripts: machine description, CPU-contention monitor, JSON lines."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (``platform.processor()`` elsewhere)."""
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine_info() -> dict[str, object]:
    """Platform, CPU model, usable cores, library versions and load average (recorded with every result)."""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        load: tuple[float, float, float] | None = os.getloadavg()
    except OSError:
        load = None
    return {
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "nproc": nproc,
        "python": platform.python_version(),
        "numba": _version("numba"),
        "numpy": _version("numpy"),
        "pythia8mc": _version("pythia8mc"),
        "loadavg": load,
    }


def append_jsonl(path: Path, records: list[dict]) -> None:
    """Append one JSON object per line to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as stream:
        for rec in records:
            stream.write(json.dumps(rec) + "\n")


class CpuMonitor:
    """Wall time of a block plus the CPU (in cores) used meanwhile by other processes, from /proc/stat.

    The machine may be shared; ``foreign_cores`` > 0.2 means the timing was taken under contention.
    """

    def __enter__(self) -> CpuMonitor:
        self.busy0, self.own0, self.t0 = self._busy(), self._own(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> bool:
        self.seconds = time.perf_counter() - self.t0
        busy = self._busy() - self.busy0
        own = self._own() - self.own0
        self.own_cores = own / self.seconds if self.seconds > 0 else 0.0
        self.foreign_cores = max(busy - own, 0.0) / self.seconds if busy == busy and self.seconds > 0 else float("nan")
        return False

    @staticmethod
    def _own() -> float:
        t = os.times()
        return t.user + t.system

    @staticmethod
    def _busy() -> float:
        try:
            with open("/proc/stat") as stream:
                fields = [int(x) for x in stream.readline().split()[1:]]
        except (OSError, ValueError):
            return float("nan")
        user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Best wall time (s) of ``repeats`` calls of ``fn()``, and all of them."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), times
