"""How many threads the matrix products get: one while every core is already busy.

OpenBLAS threads wait for each other by spinning; on a loaded machine that took twice the wall time of a
single thread (bench_evaluate, load average 10 on 2 cores), while on an idle one the threads help.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext

from explorer.core.fsutil import cpu_count


def one_thread_when_busy() -> AbstractContextManager[object]:
    """A context in which BLAS uses one thread if the load average is at least the core count."""
    try:
        busy = os.getloadavg()[0] >= cpu_count()
    except (AttributeError, OSError):  # no load average (Windows)
        return nullcontext()
    if not busy:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(1, user_api="blas")  # type: ignore[no-any-return]
