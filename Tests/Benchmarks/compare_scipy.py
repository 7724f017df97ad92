#!/usr/bin/env python3
"""Compare `convmat bench --json` with a vectorised NumPy/SciPy builder and
SciPy's CSR products on the same geometries, in one session.

Usage (from the package root, after `swift build -c release`):

    python3 Tests/Benchmarks/compare_scipy.py [--repeat 20] [--binary .build/release/convmat]

For each geometry it prints the best times of both and the ratios the
issue sets targets for:
  build      SciPy build / convmat build            (target >= 10)
  floor      SciPy build / convmat's memory floor   (roughly the build ratio a
             memory-speed builder of CHOLMOD's arrays could show: the floor
             only obtains and writes arrays the size of C, computing nothing;
             a yardstick, not a proven bound)
  held       the same with SciPy's previous C still held while it builds the
             next (its heap stays mapped, so its temporaries are cheaper)
  C·x        convmat C·x / SciPy CSR C·x            (target <= 1.25)
  Cᵀ·y       convmat Cᵀ·y / SciPy CSR Cᵀ·y          (target <= 1.25)
  batch gain convmat single / convmat per sample in a batch (> 1: batching pays)

SciPy's products are given their best layout: C·x multiplies C in CSR,
Cᵀ·y multiplies the CSR of Cᵀ (built once, not timed). SciPy keeps 32-bit
indices when they fit (12 bytes per nonzero against CHOLMOD's 16), so the
products are also timed with the same matrices converted to 64-bit indices.
Each geometry alternates convmat and SciPy --rounds times and keeps the best
of each, so that both see the same load on a shared machine. Prints a
Markdown table. This is outside the Swift test run; it needs numpy and scipy.
"""
import argparse
import json
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/convmat")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate convmat and SciPy this often and keep the best of each "
                             "(the machine is shared; alternating exposes both to the same load)")
    args = parser.parse_args()
    rng = np.random.default_rng(20261124)
    rows_out = []
    for label, flags, g in GEOMETRIES:
        command = [args.binary, "bench", *flags, "--repeat", str(args.repeat), "--batch", str(args.batch), "--json"]
        weights = rng.uniform(-1, 1, g["cout"] * g["cin"] * g["k"][0] * g["k"][1])
        ours, theirs = None, None
        for _ in range(args.rounds):
            run = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            ours = run if ours is None else {k: (min(v, run[k]) if k.endswith("_s") or k.endswith("_per_sample") else run[k])
                                             for k, v in ours.items()}
            ours["build_over_memory_floor"] = ours["build_s"] / ours["memory_floor_s"]
            scipy_run = measure_scipy(g, weights, args.repeat, args.batch, rng)
            theirs = scipy_run if theirs is None else {k: min(v, scipy_run[k]) for k, v in theirs.items()}
        if theirs["nnz"] != ours["nnz"]:
            sys.exit(f"{label}: SciPy builder made {theirs['nnz']} nonzeros, convmat {ours['nnz']}")
        if not ours["agree"]:
            sys.exit(f"{label}: convmat's routes disagree (max difference {ours['max_difference']})")
        rows_out.append((label, ours, theirs))

    def ms(seconds):
        return f"{seconds * 1e3:8.3f}"

    print(f"best of {args.rounds} rounds × {args.repeat} repeats; SciPy {sp.__name__.split('.')[0]} "
          f"{__import__('scipy').__version__}, NumPy {np.__version__}; times in ms")
    print()
    print("| geometry | nnz | build SciPy | build convmat | build ratio (≥10) | memory floor | SciPy / floor | convmat / floor | build SciPy, previous held | build ratio, held | held SciPy / floor | C·x SciPy | C·x convmat | ratio (≤1.25) "
          "| Cᵀ·y SciPy | Cᵀ·y convmat | ratio (≤1.25) | C·x ratio vs SciPy int64 | Cᵀ·y ratio vs SciPy int64 "
          "| C·X per sample, batch | batch gain C·X | batch gain Cᵀ·Y | build bytes/nnz |")
    print("|" + "---|" * 23)
    for label, ours, theirs in rows_out:
        cells = [
            label, str(ours["nnz"]),
            ms(theirs["build_s"]), ms(ours["build_s"]), f"{theirs['build_s'] / ours['build_s']:.1f}",
            ms(ours["memory_floor_s"]), f"{theirs['build_s'] / ours['memory_floor_s']:.1f}",
            f"{ours['build_s'] / ours['memory_floor_s']:.2f}",
            ms(theirs["build_held_s"]), f"{theirs['build_held_s'] / ours['build_s']:.1f}",
            f"{theirs['build_held_s'] / ours['memory_floor_s']:.1f}",
            ms(theirs["forward_s"]), ms(ours["forward_s"]), f"{ours['forward_s'] / theirs['forward_s']:.2f}",
            ms(theirs["transpose_s"]), ms(ours["transpose_s"]), f"{ours['transpose_s'] / theirs['transpose_s']:.2f}",
            f"{ours['forward_s'] / theirs['forward64_s']:.2f}", f"{ours['transpose_s'] / theirs['transpose64_s']:.2f}",
            ms(ours["forward_batch_s_per_sample"]),
            f"{ours['forward_s'] / ours['forward_batch_s_per_sample']:.2f}",
            f"{ours['transpose_s'] / ours['transpose_batch_s_per_sample']:.2f}",
            f"{ours['build_bytes_per_nnz']:.1f}",
        ]
        print("| " + " | ".join(c.strip() for c in cells) + " |")
    print()
    for label, ours, theirs in rows_out:
        print(f"{label}: convmat builds {ours['nnz'] / ours['build_s'] / 1e6:.0f} M nnz/s, the SciPy builder "
              f"{theirs['nnz'] / theirs['build_s'] / 1e6:.1f} M nnz/s; SciPy CSR (int{8 * theirs['index_bytes']} indices) "
              f"C·x {theirs['nnz'] / theirs['forward_s'] / 1e6:.0f} M nnz/s, convmat C·x "
              f"{ours['nnz'] / ours['forward_s'] / 1e6:.0f} M nnz/s; routes agree (max difference {ours['max_difference']:.1e})")


if __name__ == "__main__":
    main()
