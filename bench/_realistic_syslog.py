"""A realistic syslog file for benchmarks: what a busy fleet writes during an incident.

50 message templates from a dozen programs on 45 hosts; about a third of the lines carry a
request id (UUID) or a hex trace id, so they never repeat byte for byte; numbers, IP
addresses, ports, durations and paths vary; an error burst (timeouts, refused
connections, a failing dependency) fills a few percent of the file's time span at four
times the normal rate; and some records span several lines: Java stack traces logged one
line per record (indented, same program) and a few continuation lines with no header.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from pathlib import Path

from _loggen import syslog_prefix, write_by_second

_HOSTS = (
    [f"web-{n:02d}" for n in range(1, 26)]
    + [f"api-{n:02d}" for n in range(1, 11)]
    + [f"db-{n:02d}" for n in range(1, 5)]
    + [f"cache-{n:02d}" for n in range(1, 5)]
    + ["lb-01", "lb-02"]
)
assert len(_HOSTS) == 45

# (weight, program, template); {uuid} {hex16} {hex8} {ip} {port} {n} {ms} {path} {user} {sec}
_TEMPLATES: list[tuple[float, str, str]] = [
    # request logs with ids: about a third of all lines
    (6.0, "checkout", "handled request id={uuid} path={path} status=200 duration={ms}ms"),
    (3.5, "checkout", "cart {hex16} priced: {n} items, total {n}.{n} EUR"),
    (5.0, "api-gw", "trace={hex16} span={hex8} upstream=orders latency={ms}ms"),
    (3.0, "orders", "order {uuid} created for customer {n}"),
    (3.0, "orders", "order {uuid} moved to state PAID after {ms} ms"),
    (2.0, "payments", "charge {hex16} authorised, amount {n} cents, card ending {n}"),
    (1.5, "sessions", "session {uuid} refreshed for user {user}"),
    (1.5, "search", "query {hex8} answered from shard {n} in {ms}ms ({n} hits)"),
    (1.0, "api-gw", "request {uuid} rate limited for client {ip}"),
    (0.8, "worker", "job {uuid} finished in {sec}s, {n} rows written"),
    # classic system noise without ids
    (8.0, "nginx", '{ip} - - "GET {path} HTTP/1.1" 200 {n} "-" "Mozilla/5.0"'),
    (5.0, "sshd", "Failed password for invalid user {user} from {ip} port {port} ssh2"),
    (3.0, "sshd", "Accepted publickey for deploy from {ip} port {port} ssh2"),
    (2.0, "sshd", "Connection closed by {ip} port {port} [preauth]"),
    (4.0, "CRON", "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"),
    (3.0, "systemd", "Started Session {n} of User deploy."),
    (1.5, "systemd", "session-{n}.scope: Succeeded."),
    (1.0, "systemd", "Starting Daily apt download activities..."),
    (
        2.5,
        "postgres",
        "LOG:  duration: {ms}.{n} ms  statement: SELECT * FROM orders WHERE id = {n}",
    ),
    (1.5, "postgres", "LOG:  checkpoint complete: wrote {n} buffers ({n}.{n}%)"),
    (1.0, "postgres", 'LOG:  automatic vacuum of table "shop.public.carts": index scans: {n}'),
    (3.0, "redis", "{n}:M {n} Mar 2024 00:00:00.000 * {n} changes in {sec} seconds. Saving..."),
    (1.5, "redis", "{n}:M {n} Mar 2024 00:00:00.000 * Background saving terminated with success"),
    (
        2.0,
        "haproxy",
        "{ip}:{port} [01/Mar/2024:00:00:00.000] web~ shop/web-{n} 0/0/{n}/{ms}/{ms} 200",
    ),
    (2.0, "kernel", "[{sec}.{n}] IPv4: martian source {ip} from {ip}, on dev eth0"),
    (1.0, "kernel", "[{sec}.{n}] TCP: request_sock_TCP: Possible SYN flooding on port {port}."),
    (2.0, "dockerd", 'level=info msg="Container health status changed" container={hex16}'),
    (1.5, "kubelet", "Successfully probed container {hex8} in pod web-{n}"),
    (1.0, "ntpd", "adjusting local clock by {ms}.{n}s"),
    (1.0, "node_exporter", "scrape of {path} took {ms}ms"),
    (0.8, "checkout", "cache warm-up done: {n} keys in {ms} ms"),
    (0.8, "checkout", "feature flag new-pricing evaluated to true for {n}% of traffic"),
    (0.5, "orders", "retrying publish to topic order-events (attempt {n}/5)"),
    (0.5, "payments", "slow response from card network: {ms} ms"),
    (0.5, "api-gw", "config reloaded: {n} routes, {n} upstreams"),
    (0.4, "worker", "queue depth {n}, consumers {n}"),
    (0.4, "search", "segment merge finished: {n} docs in {sec}s"),
    (0.3, "systemd", "Reloading Nginx."),
    (0.3, "sshd", "pam_unix(sshd:session): session opened for user deploy by (uid={n})"),
    (0.2, "kernel", "[{sec}.{n}] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro"),
    (0.2, "checkout", "deprecated client header X-Cart-Version used by {ip}"),
    (0.2, "orders", "warning: inventory snapshot older than {sec}s"),
    (0.1, "payments", "webhook from provider accepted: event {hex16}"),
    (0.1, "kernel", "[{sec}.{n}] Out of memory: Killed process {n} (java) total-vm:{n}kB"),
    (0.1, "dockerd", 'level=warning msg="Health check for container {hex16} failed"'),
]
# The error burst: these dominate for a few percent of the time span.
_BURST: list[tuple[float, str, str]] = [
    (5.0, "checkout", "upstream timed out after {ms}ms calling payments for request {uuid}"),
    (3.0, "payments", "connection refused to db-0{n}:{port}, pool exhausted ({n}/50 in use)"),
    (2.0, "api-gw", "trace={hex16} upstream=checkout status=503 error=upstream unavailable"),
    (1.0, "orders", "failed to reserve stock for order {uuid}: deadline exceeded"),
    (0.5, "checkout", "ERROR Unhandled exception in request {uuid}"),  # a stack trace follows
]
assert len(_TEMPLATES) + len(_BURST) == 50

_PATHS = ["/api/cart", "/api/checkout", "/api/orders", "/static/app.js", "/health", "/api/search"]
_USERS = ["admin", "oracle", "test", "ubuntu", "git", "postgres", "deploy", "guest"]
_FRAMES = [
    "com.example.checkout.PaymentClient.charge(PaymentClient.java:{n})",
    "com.example.checkout.CheckoutService.pay(CheckoutService.java:{n})",
    "com.example.http.Router.dispatch(Router.java:{n})",
    "java.base/java.lang.Thread.run(Thread.java:{n})",
]


def _fillers(rng: random.Random) -> dict[str, Callable[[], str]]:
    hexdigits = "0123456789abcdef"
    return {
        "uuid": lambda: (
            "%08x-%04x-%04x-%04x-%012x"  # noqa: UP031
            % (
                rng.getrandbits(32),
                rng.getrandbits(16),
                rng.getrandbits(16),
                rng.getrandbits(16),
                rng.getrandbits(48),
            )
        ),
        "hex16": lambda: "".join(rng.choices(hexdigits, k=16)),
        "hex8": lambda: "".join(rng.choices(hexdigits, k=8)),
        "ip": lambda: f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "port": lambda: str(rng.randrange(1024, 65535)),
        "n": lambda: str(rng.randrange(1, 5000)),
        "ms": lambda: str(rng.randrange(1, 3000)),
        "sec": lambda: str(rng.randrange(1, 90000)),
        "path": lambda: f"{rng.choice(_PATHS)}/{rng.randrange(10_000)}",
        "user": lambda: rng.choice(_USERS),
    }


class _Renderer:
    """Fills one template set quickly: the field names of each template are found once."""

    def __init__(self, templates: list[tuple[float, str, str]], rng: random.Random) -> None:
        self.rng = rng
        self.weights = [weight for weight, _, _ in templates]
        fill = _fillers(rng)
        self.parts = []
        for _, program, template in templates:
            pieces = list(string.Formatter().parse(template))
            self.parts.append(
                (
                    program,
                    [(literal, fill[field] if field else None) for literal, field, _, _ in pieces],
                )
            )
        self.pids = {program: rng.randrange(300, 30000) for _, program, _ in templates}

    def line(self) -> tuple[str, str]:
        program, pieces = self.rng.choices(self.parts, self.weights)[0]
        text = "".join(literal + (make() if make else "") for literal, make in pieces)
        tag = f"{program}[{self.pids[program]}]" if program != "kernel" else "kernel"
        return tag, text


def generate(path: Path, size: int, seed: int = 11) -> None:
    """A file of about ``size`` bytes: ~150 lines a second from 1 March 00:00, a burst
    between 40% and 43% of the way through."""
    rng = random.Random(seed)
    normal, burst = _Renderer(_TEMPLATES, rng), _Renderer(_BURST, rng)
    frame_numbers = _fillers(rng)["n"]
    expected_seconds = size // (150 * 100)  # ~100 bytes a line
    burst_from, burst_to = int(expected_seconds * 0.40), int(expected_seconds * 0.43)

    def lines_of_second(second: int) -> list[str]:
        prefix = syslog_prefix(second)
        in_burst = burst_from <= second < burst_to
        lines = []
        for _ in range(rng.randrange(100, 200) * (4 if in_burst else 1)):
            renderer = burst if in_burst and rng.random() < 0.3 else normal
            tag, text = renderer.line()
            host = rng.choice(_HOSTS)
            lines.append(f"{prefix}{host} {tag}: {text}\n")
            if text.startswith("ERROR Unhandled"):
                lines.append(
                    f"{prefix}{host} {tag}: java.net.SocketTimeoutException: Read timed out\n"
                )
                for frame in rng.sample(_FRAMES, rng.randrange(2, 5)):
                    lines.append(f"{prefix}{host} {tag}: \tat {frame.format(n=frame_numbers())}\n")
                if rng.random() < 0.2:  # a line that lost its header on the way
                    lines.append("\t... 12 more\n")
        return lines

    write_by_second(path, size, lines_of_second)
