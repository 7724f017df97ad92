#!/usr/bin/env python3
"""Compare convmat's memory estimates with the peak resident memory it reaches.

Usage (from the package root, after `swift build -c release`):

    python3 Tests/Benchmarks/memory_estimates.py [--binary .build/release/convmat]

For each command on the 256×256 (1 → 1 channel) and 64×64 (16 → 16 channels)
geometries, with a 3×3 kernel and padding 1, it runs `convmat … --show-memory`
under GNU time, takes the largest estimate the command printed and the peak
resident set size (`%M`), and prints a Markdown table with their ratio. The
guard is meant to estimate within 1.5× of the peak. Nothing here is a timed
test; it is outside the Swift test run and needs only the Python standard
library (plus /usr/bin/time).
"""
import argparse
import json
import os
import random
import re
import subprocess
import tempfile

GEOMETRIES = [
    ("256x256 1->1 k3 p1", ["--input", "256x256", "--kernel", "3", "--padding", "1"], (1, 1, 256, 256)),
    ("64x64 16->16 k3 p1", ["--input", "64x64", "--kernel", "3", "--padding", "1",
                            "--in-channels", "16", "--out-channels", "16"], (16, 16, 64, 64)),
]


def case_file(channels_in, channels_out, height, width, folder):
    """A conv case of the geometry with random data, in PyTorch layout."""
    rng = random.Random(1)
    case = {
        "op": "conv", "padding": [1, 1],
        "input": {"shape": [1, channels_in, height, width],
                  "data": [round(rng.uniform(-1, 1), 4) for _ in range(channels_in * height * width)]},
        "weight": {"shape": [channels_out, channels_in, 3, 3],
                   "data": [round(rng.uniform(-1, 1), 4) for _ in range(channels_out * channels_in * 9)]},
    }
    path = os.path.join(folder, f"case-{channels_in}-{height}.json")
    with open(path, "w") as handle:
        json.dump(case, handle)
    return path


def measure(binary, arguments):
    """(largest estimate printed, peak resident bytes) of one run."""
    result = subprocess.run(["/usr/bin/time", "-f", "peak %M", binary] + arguments + ["--show-memory"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"convmat {' '.join(arguments)} failed: {result.stderr}")
    estimates = [int(m) for m in re.findall(r"memory estimate: (\d+) bytes", result.stderr)]
    peak = int(re.search(r"peak (\d+)", result.stderr).group(1)) * 1024
    return max(estimates), peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/convmat")
    options = parser.parse_args()
    print("| command | geometry | estimate (MiB) | peak RSS (MiB) | estimate / peak |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for label, flags, (cin, cout, height, width) in GEOMETRIES:
            preset = ["--kernel-preset", "box3"] if cin == cout else []
            commands = [
                ("matrix --format mtx", ["matrix", "--format", "mtx"] + flags),
                ("verify", ["verify"] + flags),
                ("bench --repeat 1", ["bench", "--repeat", "1"] + flags),
                ("draw spy", ["draw", "spy"] + flags),
                ("run (conv case)", ["run", case_file(cin, cout, height, width, folder)]),
                ("deconvolve (box3)", ["deconvolve", "--no-times"] + flags + preset),
            ]
            for name, arguments in commands:
                estimate, peak = measure(options.binary, arguments)
                print(f"| {name} | {label} | {estimate / 2**20:.1f} | {peak / 2**20:.1f} | {estimate / peak:.2f} |")


if __name__ == "__main__":
    main()
