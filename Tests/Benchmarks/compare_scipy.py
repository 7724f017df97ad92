#!/usr/bin/env python3
"""Compare `convmat bench --json` with a vectorised NumPy/SciPy builder and
SciPy's CSR products on the same geometries, in one session.

Usage (from the package root, after `swift build -c release`):

    python3 Tests/Benchmarks/compare_scipy.py [--repeat 20] [--binary .build/release/convmat]

For each geometry it prints the best times of both and the ratios the
issue sets targets for:
  build      SciPy build / convmat build            (target >= 10)
  C·x        convmat C·x / SciPy CSR C·x            (target <= 1.25)
  Cᵀ·y       convmat Cᵀ·y / SciPy CSR Cᵀ·y          (target <= 1.25)
  batch      convmat single / convmat per sample in a batch (> 1: batching pays)

SciPy's products are given their best layout: C·x multiplies C in CSR,
Cᵀ·y multiplies the CSR of Cᵀ (built once, not timed). This is outside the
Swift test run; it needs numpy and scipy.
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


def best(repeat, body):
    shortest = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        body()
        shortest = min(shortest, time.perf_counter() - start)
    return shortest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/convmat")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(20261124)
    rows_out = []
    for label, flags, g in GEOMETRIES:
        command = [args.binary, "bench", *flags, "--repeat", str(args.repeat), "--batch", str(args.batch), "--json"]
        ours = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        weights = rng.uniform(-1, 1, g["cout"] * g["cin"] * g["k"][0] * g["k"][1])
        built = {}
        build_s = best(max(3, args.repeat // 4), lambda: built.__setitem__("C", build_scipy(weights, **g)))
        c = built["C"]
        ct = c.T.tocsr()
        x = rng.uniform(-1, 1, c.shape[1])
        y = rng.uniform(-1, 1, c.shape[0])
        xs = rng.uniform(-1, 1, (c.shape[1], args.batch))
        forward_s = best(args.repeat, lambda: c @ x)
        transpose_s = best(args.repeat, lambda: ct @ y)
        forward_batch_s = best(args.repeat, lambda: c @ xs) / args.batch
        if c.nnz != ours["nnz"]:
            sys.exit(f"{label}: SciPy builder made {c.nnz} nonzeros, convmat {ours['nnz']}")
        rows_out.append((label, ours, dict(build_s=build_s, forward_s=forward_s, transpose_s=transpose_s,
                                           forward_batch_s=forward_batch_s, nnz=c.nnz)))

    def ms(seconds):
        return f"{seconds * 1e3:8.3f}"

    print(f"{'geometry':24} {'nnz':>9} | {'build ms':>17} {'ratio':>6} | {'C·x ms':>17} {'ratio':>5} | "
          f"{'Cᵀ·y ms':>17} {'ratio':>5} | {'batch/sample ms':>17} | {'MB/nnz':>6}")
    print(f"{'':24} {'':>9} | {'scipy   convmat':>17} {'≥10':>6} | {'scipy   convmat':>17} {'≤1.25':>5} | "
          f"{'scipy   convmat':>17} {'≤1.25':>5} | {'scipy   convmat':>17} | {'B':>6}")
    for label, ours, theirs in rows_out:
        print(f"{label:24} {ours['nnz']:9d} | {ms(theirs['build_s'])}{ms(ours['build_s'])} "
              f"{theirs['build_s'] / ours['build_s']:6.1f} | "
              f"{ms(theirs['forward_s'])}{ms(ours['forward_s'])} {ours['forward_s'] / theirs['forward_s']:5.2f} | "
              f"{ms(theirs['transpose_s'])}{ms(ours['transpose_s'])} {ours['transpose_s'] / theirs['transpose_s']:5.2f} | "
              f"{ms(theirs['forward_batch_s'])}{ms(ours['forward_batch_s_per_sample'])} | "
              f"{ours['build_bytes_per_nnz']:6.1f}")
    print()
    for label, ours, theirs in rows_out:
        print(f"{label}: convmat builds {ours['build_nnz_per_s'] / 1e6:.0f} M nnz/s, SciPy builder "
              f"{theirs['nnz'] / theirs['build_s'] / 1e6:.1f} M nnz/s; batched C·X {ours['forward_single_over_batch']:.2f}x, "
              f"CᵀY {ours['transpose_single_over_batch']:.2f}x faster per sample than single; "
              f"routes agree: {ours['agree']} (max difference {ours['max_difference']:.1e})")


if __name__ == "__main__":
    main()
