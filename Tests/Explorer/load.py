"""Latency and throughput of the explorer on loopback: two clients at once, each with one
keep-alive connection, sending /api/view requests for teaching sizes (inputs up to 32×32,
kernels up to 5, up to 4 channels), as a lecture hall's page does on every change.
Not a test: it prints a Markdown table for docs/explorer.md (`make explorer-load` runs it on a
release build).

    python3 Tests/Explorer/load.py [--binary .build/release/convmat-serve] [--requests 1000] [--seed 5]
"""
import argparse
import http.client
import os
import random
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, default_binary  # noqa: E402


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
    ("the first page: 5×5 input, 3×3 kernel", lambda rng: "input=5x5&kernel=3"),
    ("a lecture's updates: random teaching sizes (≤ 32×32, k ≤ 5, ≤ 4 channels, transposed or not)", teaching_query),
    ("the largest teaching size: 32×32, k = 5, 4 → 4 channels, padding 2", lambda rng: "input=32x32&kernel=5&padding=2&in_channels=4&out_channels=4"),
]


def client(url, queries, latencies, bytes_received):
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    for query in queries:
        started = time.perf_counter()
        connection.request("GET", "/api/view?" + query)
        response = connection.getresponse()
        body = response.read()
        latencies.append(time.perf_counter() - started)
        bytes_received.append(len(body))
        if response.status != 200:
            raise RuntimeError("status %d for %s" % (response.status, query))
    connection.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=default_binary())
    parser.add_argument("--requests", type=int, default=1000, help="requests per client and scenario")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with Server(args.binary) as server:
        for name, make in SCENARIOS:
            rng = random.Random(args.seed)
            warm = [make(rng) for _ in range(40)]
            client(server.url, warm, [], [])
            plans = [[make(rng) for _ in range(args.requests)] for _ in range(2)]
            latencies, sizes = [[], []], [[], []]
            threads = [threading.Thread(target=client, args=(server.url, plans[c], latencies[c], sizes[c])) for c in range(2)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            every = latencies[0] + latencies[1]
            if len(every) != 2 * args.requests:
                raise SystemExit("a client failed")
            size = sorted(sizes[0] + sizes[1])
            rows.append((name, len(every), 1000 * percentile(every, 50), 1000 * percentile(every, 99), 1000 * max(every),
                         len(every) / elapsed, size[len(size) // 2] / 1024))
    print("| requests (2 clients at once) | count | p50 (ms) | p99 (ms) | max (ms) | throughput (requests/s) | median answer (KiB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, count, p50, p99, worst, throughput, kib in rows:
        print("| %s | %d | %.1f | %.1f | %.1f | %.0f | %.0f |" % (name, count, p50, p99, worst, throughput, kib))
    return 0


if __name__ == "__main__":
    sys.exit(main())
