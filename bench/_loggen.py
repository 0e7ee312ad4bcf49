"""A big log4j-style log for ``gather_bench.py --layout log4j``: the generic reader's load.

``2026-03-01 00:00:00,123 INFO [http-nio-8080-exec-7] com.example.shop.Checkout: message``,
mostly repeated messages with varying numbers, some warnings and errors, and a Java stack
trace after one error in twenty (continuation lines the reader joins to their record).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from pathlib import Path

_THREADS = [f"http-nio-8080-exec-{n}" for n in range(1, 21)] + ["main", "scheduler-1"]
_LOGGERS = [
    "com.example.shop.Checkout",
    "com.example.shop.CartService",
    "com.example.payments.GatewayClient",
    "org.hibernate.engine.jdbc.spi.SqlExceptionHelper",
    "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
]
_TRACE = (
    "java.net.SocketTimeoutException: Read timed out\n"
    "\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)\n"
    "\tat com.example.payments.GatewayClient.charge(GatewayClient.java:212)\n"
    "\tat com.example.shop.Checkout.place(Checkout.java:88)\n"
    "\t... 42 more\n"
)


def _message(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", (
            f"handled request id={rng.getrandbits(48):012x} path=/api/cart/{rng.randrange(9000)} "
            f"status=200 duration={rng.randrange(3, 900)}ms"
        )
    if roll < 0.75:
        return "DEBUG", f"cache hit ratio {rng.random():.3f} over {rng.randrange(100, 5000)} keys"
    if roll < 0.88:
        return (
            "INFO",
            f"Committed offsets for partition orders-{rng.randrange(12)} at {rng.randrange(10**7)}",
        )
    if roll < 0.95:
        return (
            "WARN",
            f"slow query took {rng.randrange(500, 9000)} ms: SELECT * FROM carts WHERE id = ?",
        )
    return (
        "ERROR",
        f"payment gateway call failed for order {rng.randrange(10**6)} (attempt {rng.randrange(1, 6)}/5)",
    )


def write_by_second(path: Path, size: int, lines_of_second: Callable[[int], Iterable[str]]) -> None:
    """Write the lines of second 0, 1, 2, … until the file holds about ``size`` bytes,
    in chunks of some 20,000 lines so that writing stays off the generators' figures."""
    written = 0
    second = 0
    batch: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            batch.extend(lines_of_second(second))
            second += 1
            if len(batch) > 20_000:
                chunk = "".join(batch)
                out.write(chunk)
                written += len(chunk)
                batch.clear()
        out.write("".join(batch))


def syslog_prefix(second: int) -> str:
    """The RFC 3164 time of ``second`` seconds after 1 March 00:00, with its trailing space."""
    day, rest = divmod(second, 86400)
    hour, rest = divmod(rest, 3600)
    minute, sec = divmod(rest, 60)
    return f"Mar {day + 1:2d} {hour:02d}:{minute:02d}:{sec:02d} "


def generate_log4j(path: Path, size: int, seed: int = 7) -> None:
    """A log4j-style file of about ``size`` bytes, ~120 records per second from 1 March 2026."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 1)

    def lines_of_second(second: int) -> list[str]:
        stamp = (start + dt.timedelta(seconds=second)).strftime("%Y-%m-%d %H:%M:%S")
        lines = []
        for _ in range(rng.randrange(60, 180)):
            level, text = _message(rng)
            millis = rng.randrange(1000)
            thread, logger = rng.choice(_THREADS), rng.choice(_LOGGERS)
            lines.append(f"{stamp},{millis:03d} {level} [{thread}] {logger}: {text}\n")
            if level == "ERROR" and rng.random() < 0.05:
                lines.append(_TRACE)
        return lines

    write_by_second(path, size, lines_of_second)
