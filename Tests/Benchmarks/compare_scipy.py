#!/usr/bin/env python3
"""Compare `convmat bench --json` with a vectorised NumPy/SciPy builder and
SciPy's CSR products on the same geometries, in one session, and print the
memory-bandwidth table of convmat's products.

Usage (from the package root, after `swift build -c release --product convmat`):

    python3 Tests/Benchmarks/compare_scipy.py [--repeat 15] [--rounds 3]
        [--binary .build/release/convmat] [--baseline OLD_CONVMAT] [--threads N]

With --baseline, a second convmat binary (say, one built from the commit
before a change) is benchmarked in the same rounds, so that before and after
are measured in one run under the same load. For each geometry it prints the
best times and the ratios the issues set targets for:

  C·x, Cᵀ·y  convmat time / SciPy CSR time (target <= 0.8, issue 25), for the
             binary and the baseline; also against SciPy with 64-bit indices
  build      SciPy build / convmat build (target >= 10), and convmat's build
             over its memory floor (target <= 1.3)
  batch gain convmat single / convmat per sample in a batch (> 1: batching pays)

then the bandwidth table from the binary's own run: the triad bandwidth on
the products' threads and on one, the bytes each product must move, its GB/s
and its fraction of the bandwidth.

SciPy's products are given their best layout: C·x multiplies C in CSR,
Cᵀ·y multiplies the CSR of Cᵀ (built once, not timed). SciPy keeps 32-bit
indices when they fit (12 bytes per nonzero against CHOLMOD's 16), so the
products are also timed with the same matrices converted to 64-bit indices.
Each geometry alternates convmat (and the baseline) and SciPy --rounds times
and keeps the best of each, so that all see the same load on a shared
machine; the load average is printed before and after. This is outside the
Swift test run; it needs numpy and scipy.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp

# (label, convmat flags, geometry for the Python builder)
GEOMETRIES = [
    ("256x256 1->1 k3 p1",
     ["--input", "256x256", "--kernel", "3", "--padding", "1"],
     dict(size=(256, 256), k=(3, 3), stride=(1, 1), pad=(1, 1), cin=1, cout=1)),
    ("64x64 16->16 k3 p1",
     ["--input", "64x64", "--kernel", "3", "--padding", "1", "--in-channels", "16", "--out-channels", "16"],
     dict(size=(64, 64), k=(3, 3), stride=(1, 1), pad=(1, 1), cin=16, cout=16)),
    ("128x128 8->8 k5 s2 p2",
     ["--input", "128x128", "--kernel", "5", "--stride", "2", "--padding", "2", "--in-channels", "8", "--out-channels", "8"],
     dict(size=(128, 128), k=(5, 5), stride=(2, 2), pad=(2, 2), cin=8, cout=8)),
]


def build_scipy(weights, size, k, stride, pad, cin, cout):
    """C (rows = output [C_out, H', W'], columns = input [C_in, H, W]) from
    broadcast index arithmetic: one (row, column, value) per valid tap, then
    SciPy's COO -> CSR conversion. No Python loop over pixels."""
    h, w = size
    oh = (h + 2 * pad[0] - k[0]) // stride[0] + 1
    ow = (w + 2 * pad[1] - k[1]) // stride[1] + 1
    o, c, ki, kj, y, x = np.ix_(np.arange(cout), np.arange(cin), np.arange(k[0]), np.arange(k[1]),
                                np.arange(oh), np.arange(ow))
    ii = y * stride[0] - pad[0] + ki
    jj = x * stride[1] - pad[1] + kj
    valid = (ii >= 0) & (ii < h) & (jj >= 0) & (jj < w)
    shape = (cout, cin, k[0], k[1], oh, ow)
    valid = np.broadcast_to(valid, shape)
    rows = np.broadcast_to((o * oh + y) * ow + x, shape)[valid]
    cols = np.broadcast_to((c * h + ii) * w + jj, shape)[valid]
    vals = np.broadcast_to(weights.reshape(cout, cin, k[0], k[1], 1, 1), shape)[valid]
    return sp.csr_matrix((vals, (rows, cols)), shape=(cout * oh * ow, cin * h * w))


def best(repeat, body, hold_previous=False):
    """Shortest of `repeat` calls of body(), in seconds. By default what a call
    returns is dropped before the next clock starts, so freeing it is never
    timed and every call starts from the same state (the rule `convmat bench`
    follows). With hold_previous the previous result is kept while the next
    call runs: glibc then cannot return the heap's free top to the system, and
    NumPy's temporaries land on pages that are already mapped."""
    shortest = float("inf")
    previous = None
    for _ in range(repeat):
        start = time.perf_counter()
        made = body()
        shortest = min(shortest, time.perf_counter() - start)
        previous = made if hold_previous else None
        del made
    del previous
    return shortest


def measure_scipy(g, weights, repeat, batch, rng):
    """Best times of the SciPy builder and CSR products for geometry g."""
    build_s = best(repeat, lambda: build_scipy(weights, **g))
    build_held_s = best(repeat, lambda: build_scipy(weights, **g), hold_previous=True)
    c = build_scipy(weights, **g)
    ct = c.T.tocsr()
    # The same matrices with 64-bit indices, the width CHOLMOD's cholmod_l_* API uses.
    c64, ct64 = c.copy(), ct.copy()
    for m in (c64, ct64):
        m.indices = m.indices.astype(np.int64)
        m.indptr = m.indptr.astype(np.int64)
    x = rng.uniform(-1, 1, c.shape[1])
    y = rng.uniform(-1, 1, c.shape[0])
    xs = rng.uniform(-1, 1, (c.shape[1], batch))
    return dict(
        nnz=c.nnz, build_s=build_s, build_held_s=build_held_s,
        forward_s=best(repeat, lambda: c @ x), transpose_s=best(repeat, lambda: ct @ y),
        forward64_s=best(repeat, lambda: c64 @ x), transpose64_s=best(repeat, lambda: ct64 @ y),
        forward_batch_s=best(repeat, lambda: c @ xs) / batch,
        index_bytes=c.indices.dtype.itemsize)


def bench(binary, flags, repeat, batch, threads):
    """One `convmat bench --json` run of `binary`."""
    command = [binary, "bench", *flags, "--repeat", str(repeat), "--batch", str(batch), "--json"]
    if threads:
        command += ["--threads", str(threads)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def keep_best(best, run):
    """Merges a run into the best so far: the smallest of every time, the rest from the first run."""
    if best is None:
        return dict(run)
    merged = dict(best)
    for key, value in run.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (key.endswith("_s") or key.endswith("_per_sample")):
            merged[key] = min(value, best[key])
        elif key.endswith("bytes_per_s") and isinstance(value, (int, float)) and isinstance(best.get(key), (int, float)):
            merged[key] = max(value, best[key])
    return merged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--binary", default=".build/release/convmat")
    parser.add_argument("--baseline", help="a second convmat binary to measure in the same rounds (before a change)")
    parser.add_argument("--threads", type=int, help="--threads for the binary's products (default: its own default)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate convmat and SciPy this often and keep the best of each "
                             "(the machine is shared; alternating exposes both to the same load)")
    args = parser.parse_args()
    rng = np.random.default_rng(20261124)
    load_before = os.getloadavg()
    rows_out = []
    for label, flags, g in GEOMETRIES:
        weights = rng.uniform(-1, 1, g["cout"] * g["cin"] * g["k"][0] * g["k"][1])
        ours, before, theirs = None, None, None
        for _ in range(args.rounds):
            ours = keep_best(ours, bench(args.binary, flags, args.repeat, args.batch, args.threads))
            if args.baseline:
                before = keep_best(before, bench(args.baseline, flags, args.repeat, args.batch, None))
            scipy_run = measure_scipy(g, weights, args.repeat, args.batch, rng)
            theirs = scipy_run if theirs is None else {k: min(v, scipy_run[k]) for k, v in theirs.items()}
        for name, run in (("convmat", ours), ("baseline", before)):
            if run is None:
                continue
            if theirs["nnz"] != run["nnz"]:
                sys.exit(f"{label}: SciPy builder made {theirs['nnz']} nonzeros, {name} {run['nnz']}")
            if not run["agree"]:
                sys.exit(f"{label}: {name}'s routes disagree (max difference {run['max_difference']})")
        rows_out.append((label, ours, before, theirs))
    load_after = os.getloadavg()

    def ms(seconds):
        return f"{seconds * 1e3:.3f}"

    def gb(rate):
        return "–" if rate is None else f"{rate / 1e9:.1f}"

    def fraction(value):
        return "–" if value is None else f"{value:.2f}"

    print(f"best of {args.rounds} rounds × {args.repeat} repeats; SciPy {__import__('scipy').__version__}, "
          f"NumPy {np.__version__}; convmat {args.binary} on {rows_out[0][1].get('threads', 1)} threads"
          + (f", baseline {args.baseline}" if args.baseline else "")
          + f"; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; times in ms")
    print()
    print("Products (ratio = convmat / SciPy CSR, target ≤ 0.8):")
    print()
    header = ["geometry", "nnz", "C·x SciPy", "C·x convmat", "ratio"]
    if args.baseline:
        header += ["C·x baseline", "baseline ratio"]
    header += ["Cᵀ·y SciPy", "Cᵀ·y convmat", "ratio"]
    if args.baseline:
        header += ["Cᵀ·y baseline", "baseline ratio"]
    header += ["C·x ratio vs SciPy int64", "Cᵀ·y ratio vs SciPy int64", "C·X per sample, batch", "batch gain C·X", "batch gain Cᵀ·Y"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, ours, before, theirs in rows_out:
        cells = [label, str(ours["nnz"]), ms(theirs["forward_s"]), ms(ours["forward_s"]), f"{ours['forward_s'] / theirs['forward_s']:.2f}"]
        if before:
            cells += [ms(before["forward_s"]), f"{before['forward_s'] / theirs['forward_s']:.2f}"]
        cells += [ms(theirs["transpose_s"]), ms(ours["transpose_s"]), f"{ours['transpose_s'] / theirs['transpose_s']:.2f}"]
        if before:
            cells += [ms(before["transpose_s"]), f"{before['transpose_s'] / theirs['transpose_s']:.2f}"]
        cells += [f"{ours['forward_s'] / theirs['forward64_s']:.2f}", f"{ours['transpose_s'] / theirs['transpose64_s']:.2f}",
                  ms(ours["forward_batch_s_per_sample"]),
                  f"{ours['forward_s'] / ours['forward_batch_s_per_sample']:.2f}",
                  f"{ours['transpose_s'] / ours['transpose_batch_s_per_sample']:.2f}"]
        print("| " + " | ".join(cells) + " |")
    print()
    print("Memory bandwidth (convmat's run; triad counts 24 bytes per element, products count C's values, "
          "row indices and column pointers, the operand and the result):")
    print()
    header = ["geometry", "threads", "triad GB/s", "triad GB/s, 1 thread", "bytes per product (MB)",
              "C·x GB/s", "C·x / triad", "Cᵀ·y GB/s", "Cᵀ·y / triad",
              "C·x 1 thread GB/s", "/ triad 1 thread", "Cᵀ·y 1 thread GB/s", "/ triad 1 thread"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, ours, _, _ in rows_out:
        if "product_bytes" not in ours:
            print(f"| {label} | (this convmat reports no bandwidth) |")
            continue
        bandwidth, single = ours.get("bandwidth_bytes_per_s"), ours.get("bandwidth_one_thread_bytes_per_s")
        b = ours["product_bytes"]

        def share(seconds, of):
            return None if of is None else b / seconds / of

        cells = [label, str(ours["threads"]), gb(bandwidth), gb(single), f"{b / 1e6:.1f}",
                 gb(b / ours["forward_s"]), fraction(share(ours["forward_s"], bandwidth)),
                 gb(b / ours["transpose_s"]), fraction(share(ours["transpose_s"], bandwidth)),
                 gb(b / ours["forward_one_thread_s"]), fraction(share(ours["forward_one_thread_s"], single)),
                 gb(b / ours["transpose_one_thread_s"]), fraction(share(ours["transpose_one_thread_s"], single))]
        print("| " + " | ".join(cells) + " |")
    print()
    print("Build (ratio = SciPy build / convmat build, target ≥ 10; convmat / floor, target ≤ 1.3):")
    print()
    header = ["geometry", "build SciPy", "build convmat", "build ratio", "memory floor", "convmat / floor",
              "build SciPy, previous held", "build ratio, held", "build bytes/nnz"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, ours, _, theirs in rows_out:
        cells = [label, ms(theirs["build_s"]), ms(ours["build_s"]), f"{theirs['build_s'] / ours['build_s']:.1f}",
                 ms(ours["memory_floor_s"]), f"{ours['build_s'] / ours['memory_floor_s']:.2f}",
                 ms(theirs["build_held_s"]), f"{theirs['build_held_s'] / ours['build_s']:.1f}",
                 f"{ours['build_bytes_per_nnz']:.1f}"]
        print("| " + " | ".join(cells) + " |")
    print()
    for label, ours, _, theirs in rows_out:
        print(f"{label}: SciPy CSR (int{8 * theirs['index_bytes']} indices) C·x {theirs['nnz'] / theirs['forward_s'] / 1e6:.0f} M nnz/s, "
              f"convmat C·x {ours['nnz'] / ours['forward_s'] / 1e6:.0f} M nnz/s, Cᵀ·y {ours['nnz'] / ours['transpose_s'] / 1e6:.0f} M nnz/s; "
              f"routes agree (max difference {ours['max_difference']:.1e})"
              + (f"; threads: Cᵀ·y {'bit for bit' if ours.get('threads_transpose_identical') else 'DIFFERENT'}, "
                 f"C·x within {ours.get('threads_forward_difference', 0):.1e}" if ours.get("threads", 1) > 1 else ""))


if __name__ == "__main__":
    main()
