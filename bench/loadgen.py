"""A small closed-loop HTTP load generator (asyncio, standard library only).

Each of `concurrency` clients sends one request, waits for the whole answer, and sends
the next, on a new connection each time (gunicorn's sync workers close after every
response). Latency is measured per request from connect to last byte.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)


def http_post(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Connection: close",
        f"Content-Length: {len(body)}",
        "Content-Type: application/json",
    ]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _client(
    port: int, make_request: Callable[[], bytes], deadline: float, result: LoadResult, expect: bytes
) -> None:
    while time.perf_counter() < deadline:
        request = make_request()
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            answer = await reader.read()
            writer.close()
        except OSError:
            result.errors += 1
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if answer.startswith(expect):
            result.requests += 1
            result.latencies_ms.append(elapsed)
        else:
            result.errors += 1


async def _run(
    port: int, make_request: Callable[[], bytes], concurrency: int, seconds: float, expect: bytes
) -> LoadResult:
    result = LoadResult(0, 0, seconds, [])
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(port, make_request, deadline, result, expect) for _ in range(concurrency))
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(
    port: int,
    make_request: Callable[[], bytes],
    *,
    concurrency: int,
    seconds: float,
    expect: bytes = b"HTTP/1.1 201",
) -> LoadResult:
    return asyncio.run(_run(port, make_request, concurrency, seconds, expect))
