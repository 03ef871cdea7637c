"""Python peer for the core benches: idiomatic asyncio versions of spawn, ping_pong and sleepers.

Run as `python3 bench/python/core_bench.py`; prints one JSON line per bench on stdout.
Figures are per task / per hop, so the smaller N used here (asyncio is slow) does not skew them.
"""

import asyncio
import json
import sys
import time
import tracemalloc

IMPL = "python-asyncio"
RUNS = 3
SPAWN_N = 200_000
PING_PONG_ROUND_TRIPS = 200_000
SLEEPERS_N = 100_000


def emit(bench, value, unit):
    print(json.dumps({"bench": bench, "impl": IMPL, "value": round(value, 1), "unit": unit}, separators=(",", ":")), flush=True)


async def best_of(fn, n, warmup_n):
    """Best of RUNS after a smaller warm-up, so allocator and cache state are settled."""
    await fn(warmup_n)
    return min([await fn(n) for _ in range(RUNS)])


async def trivial(i):
    return i


async def spawn_run(n, batch=None):
    """`batch` tasks at a time (all of them at once by default), as bench/core_bench.cpp."""
    batch = batch or n
    start = time.perf_counter_ns()
    total = 0
    for first in range(0, n, batch):
        tasks = [asyncio.create_task(trivial(i)) for i in range(first, first + batch)]
        total += sum(await asyncio.gather(*tasks))
    elapsed = time.perf_counter_ns() - start
    # The checked sum keeps the work observable.
    if total != n * (n - 1) // 2:
        raise RuntimeError(f"spawn: bad sum {total}")
    return elapsed / n


async def ping_pong_run(round_trips):
    q1 = asyncio.Queue(maxsize=1)
    q2 = asyncio.Queue(maxsize=1)

    async def a():
        for i in range(round_trips):
            await q1.put(i)
            if await q2.get() != i:
                raise RuntimeError("ping_pong: message out of order")

    async def b():
        for _ in range(round_trips):
            await q2.put(await q1.get())

    start = time.perf_counter_ns()
    await asyncio.gather(a(), b())
    elapsed = time.perf_counter_ns() - start
    return elapsed / (2 * round_trips)  # a round trip is two hops


async def sleepers_bytes_per_task(n):
    async def sleeper(i):
        await asyncio.sleep(60 + i * 1e-6)

    # Allocated before tracing starts: the handle list is harness bookkeeping, not task cost.
    tasks = [None] * n
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            tasks[i] = asyncio.create_task(sleeper(i))
        # Let every task run up to its sleep, so each holds its timer handle.
        for _ in range(2):
            await asyncio.sleep(0)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return (after - before) / n


async def main():
    print(
        f"python core_bench: spawn N={SPAWN_N}, ping_pong {PING_PONG_ROUND_TRIPS} round trips, "
        f"sleepers N={SLEEPERS_N}",
        file=sys.stderr,
    )
    emit("spawn", await best_of(spawn_run, SPAWN_N, SPAWN_N // 10), "ns/task")
    emit("spawn_fanout_1000", await best_of(lambda n: spawn_run(n, 1000), SPAWN_N, SPAWN_N // 10), "ns/task")
    emit("ping_pong", await best_of(ping_pong_run, PING_PONG_ROUND_TRIPS, PING_PONG_ROUND_TRIPS // 10), "ns/hop")
    emit("sleepers_bytes_per_task", await sleepers_bytes_per_task(SLEEPERS_N), "bytes/task")


if __name__ == "__main__":
    asyncio.run(main())
