"""Latency and throughput of the explorer on loopback, for the tables in docs/explorer.md (not a
test: `make explorer-load` runs it on a release build; Tests/Explorer/load_test.py is the test).

1. Teaching sizes: N clients at once (2, 8 and 15), each with one keep-alive connection, sending
   /api/view requests as a lecture hall's pages do on every change (inputs up to 32×32, kernels
   up to 5, up to 4 channels), after a warm-up.
2. The light query (the first page, 5×5 and 3×3) from one client while 0, 2, 8 or 16 clients send
   the heaviest accepted query without pause (retrying 0.05 s after a busy 503).
3. Slow readers: N connections (300) that each ask for the largest answer (1.1 MB) and never read
   it; the server's resident memory before, at its peak and at the end, and how each ended.

    python3 Tests/Explorer/load.py [--binary .build/release/convmat-serve] [--requests 300] [--seconds 15] [--seed 5]
                                   [--slow-readers 300] [--only slow-readers|heavy]
"""
import argparse
import http.client
import os
import random
import socket
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, default_binary  # noqa: E402

LIGHT = "input=5x5&kernel=3"
HEAVY = "input=256x256&kernel=5"


def teaching_query(rng):
    """Settings a lecturer might choose: every one within the teaching sizes."""
    n = rng.randint(4, 32)
    k = rng.randint(1, min(5, n))
    channels = [1, 1, 1, 2, 3, 4]
    cin, cout = rng.choice(channels), rng.choice(channels)
    groups = rng.choice([g for g in (1, 2, 4) if cin % g == 0 and cout % g == 0])
    pairs = {
        "input": "%dx%d" % (n, n) if rng.random() < 0.8 else str(n), "kernel": str(k),
        "stride": str(rng.randint(1, 3)), "padding": rng.choice(["0", "1", "2", "same", "valid", "0:1"]),
        "dilation": rng.choice(["1", "1", "2"]), "in_channels": str(cin), "out_channels": str(cout),
        "groups": str(groups), "transposed": rng.choice(["false", "true"]),
        "weights": rng.choice(["symbolic", "numeric"]), "flip": rng.choice(["false", "true"]),
        "order": rng.choice(["row-major", "column-major"]),
    }
    if pairs["input"].count("x") == 0:
        pairs["padding"] = pairs["padding"].split("x")[0]
    return urllib.parse.urlencode(pairs)


SCENARIOS = [
    ("the first page: 5×5 input, 3×3 kernel", lambda rng: LIGHT),
    ("a lecture's updates: random teaching sizes", teaching_query),
    ("the largest teaching size: 32×32, k = 5, 4 → 4 channels", lambda rng: "input=32x32&kernel=5&padding=2&in_channels=4&out_channels=4"),
]


class Client:
    def __init__(self, url):
        address = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        self.latencies, self.sizes, self.statuses = [], [], {}

    def get(self, query):
        started = time.perf_counter()
        self.connection.request("GET", "/api/view?" + query)
        response = self.connection.getresponse()
        body = response.read()
        self.latencies.append(time.perf_counter() - started)
        self.sizes.append(len(body))
        self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        if response.status not in (200, 503):
            raise RuntimeError("status %d for %s" % (response.status, query))
        return response.status


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def teaching_rows(url, requests, seed):
    rows = []
    for count in (2, 8, 15):
        for name, make in SCENARIOS:
            rng = random.Random(seed)
            warm = Client(url)
            for _ in range(40):
                warm.get(make(rng))
            clients = [Client(url) for _ in range(count)]
            plans = [[make(rng) for _ in range(requests)] for _ in range(count)]
            threads = [threading.Thread(target=lambda c, p: [c.get(q) for q in p], args=(clients[i], plans[i])) for i in range(count)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            every = [t for c in clients for t in c.latencies]
            busy = sum(c.statuses.get(503, 0) for c in clients)
            size = sorted(s for c in clients for s in c.sizes)
            rows.append((count, name, len(every), 1000 * percentile(every, 50), 1000 * percentile(every, 99), 1000 * max(every),
                         len(every) / elapsed, size[len(size) // 2] / 1024, busy))
    return rows


def heavy_rows(url, seconds):
    rows = []
    for heavy_count in (0, 2, 8, 16):
        stop = threading.Event()
        heavies = [Client(url) for _ in range(heavy_count)]

        def loop(client):
            while not stop.is_set():
                if client.get(HEAVY) == 503:
                    time.sleep(0.05)

        threads = [threading.Thread(target=loop, args=(c,)) for c in heavies]
        for thread in threads:
            thread.start()
        light = Client(url)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            light.get(LIGHT)
            time.sleep(0.02)
        stop.set()
        for thread in threads:
            thread.join()
        ok = [t for c in heavies for t, s in zip(c.latencies, c.sizes) if s > 1000]
        answered = sum(c.statuses.get(200, 0) for c in heavies)
        busy = sum(c.statuses.get(503, 0) for c in heavies)
        rows.append((heavy_count, len(light.latencies), 1000 * percentile(light.latencies, 50), 1000 * percentile(light.latencies, 99),
                     1000 * max(light.latencies), answered, busy, 1000 * percentile(ok, 50) if ok else float("nan")))
    return rows


LARGE = "input=300x300&kernel=3"


def resident_mib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def slow_readers(url, pid, count, seconds=40):
    """`count` connections that ask for LARGE and never read; RSS before, peak, end; how each ended."""
    address = urllib.parse.urlsplit(url)
    before = resident_mib(pid)
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((address.hostname, address.port))
        s.sendall(("GET /api/view?%s HTTP/1.1\r\nHost: %s\r\n\r\n" % (LARGE, address.netloc)).encode())
        sockets.append(s)
    peak, started = before, time.monotonic()
    while time.monotonic() - started < seconds:
        peak = max(peak, resident_mib(pid))
        time.sleep(0.25)
    end = resident_mib(pid)
    ended = {"200, reset by the server unread": 0, "200, still open": 0, "503 busy": 0, "other": 0}
    for s in sockets:
        s.settimeout(0.2)
        received, closed = b"", False
        try:
            while True:
                data = s.recv(1 << 16)
                if not data:
                    closed = True
                    break
                received += data
        except ConnectionResetError:
            closed = True
        except OSError:
            pass
        s.close()
        if received.startswith(b"HTTP/1.1 200"):
            ended["200, reset by the server unread" if closed and len(received) < 1_000_000 else "200, still open"] += 1
        elif received.startswith(b"HTTP/1.1 503"):
            ended["503 busy"] += 1
        else:
            ended["other"] += 1
    return before, peak, end, ended


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=default_binary())
    parser.add_argument("--requests", type=int, default=300, help="requests per client and scenario")
    parser.add_argument("--seconds", type=float, default=15, help="seconds per row of the heavy table")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--slow-readers", type=int, default=300)
    parser.add_argument("--only", choices=["slow-readers", "heavy"])
    args = parser.parse_args()
    load = os.getloadavg()
    print("load average %.1f, %.1f, %.1f when the run started" % load)
    with Server(args.binary) as server:
        if args.slow_readers and args.only != "heavy":
            before, peak, end, ended = slow_readers(server.url, server.process.pid, args.slow_readers)
            print("%d slow readers of %s: resident memory %.0f MiB before, %.0f MiB at the peak, %.0f MiB after 40 s; %s"
                  % (args.slow_readers, LARGE, before, peak, end, ended))
        if args.only == "slow-readers":
            return 0
        teaching = teaching_rows(server.url, args.requests, args.seed) if not args.only else []
        heavy = heavy_rows(server.url, args.seconds)
    if teaching:
        print()
        print("| clients | requests | count | p50 (ms) | p99 (ms) | max (ms) | throughput (requests/s) | median answer (KiB) | busy (503) |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, name, n, p50, p99, worst, throughput, kib, busy in teaching:
        print("| %d | %s | %d | %.1f | %.1f | %.1f | %.0f | %.0f | %d |" % (count, name, n, p50, p99, worst, throughput, kib, busy))
    print()
    print("| heavy clients (%s) | light requests | light p50 (ms) | light p99 (ms) | light max (ms) | heavy answered | heavy busy (503) | heavy p50 (ms) |" % HEAVY)
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for heavy_count, n, p50, p99, worst, answered, busy, heavy_p50 in heavy:
        print("| %d | %d | %.1f | %.1f | %.1f | %d | %d | %.0f |" % (heavy_count, n, p50, p99, worst, answered, busy, heavy_p50))
    return 0


if __name__ == "__main__":
    sys.exit(main())
