#!/usr/bin/env python3
"""Checks `convmat spectrum --json` against numpy, on the same C that `convmat matrix --format npy` writes.

For each geometry below (1-D and 2-D, circular padding at stride 1, zero padding with strides,
channels, groups, dilation, a transposed convolution), with weights drawn here from a fixed seed:

  - the singular values are numpy.linalg.svd(C, compute_uv=False), every one within 1e-10·σ_max
    (sigma_max, sigma_min and condition too, whatever the route);
  - for circular padding at stride 1, the DFT identity is checked independently of C: the values
    are those of the C_out×C_in matrices of numpy.fft.fftn of the kernel placed on the input grid
    (tap t at position dilation·t), one matrix per frequency, per group (Sedghi, Gupta & Long 2019);
  - ‖x − Cᵀ(C·x)‖ and ‖x − C⁺(C·x)‖ with numpy.linalg.pinv, x drawn from convmat's SplitMix64
    with seed 9 (the generator is written out below), and ‖W‖₂ of the weight reshaped to
    C_out × (C_in/groups·k) with numpy.linalg.norm(·, 2), what spectral normalisation divides by.
  - the iterative route (--route iterative) converges and gives σ_max within 1e-9·σ_max and σ_min² within
    1e-10·σ_max², for wide C too (σ_min through CCᵀ), and on a 1-D circular C of 1 024 columns whose
    smallest singular values cluster (they differ by 1e-6).

Usage: python3 Tests/Interchange/check_spectrum.py [path/to/convmat]
Exit status 0 when every check passes; prints the number of checks.
"""
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy

CONVMAT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "convmat")
checks = 0
failures = []


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)


def convmat(arguments):
    result = subprocess.run([CONVMAT] + arguments, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"convmat {' '.join(arguments)} failed ({result.returncode}): {result.stderr}")
    return result.stdout


def splitmix64(seed, count):
    """convmat's SplitMix64 (Steele, Lea & Flood 2014), mapped to uniform numbers in [-1, 1]."""
    mask = (1 << 64) - 1
    state = seed
    values = []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        z ^= z >> 31
        values.append(2 * (z >> 11) * 2.0**-53 - 1)
    return numpy.array(values)


# name, input, kernel, flags, in, out, groups, dilation (per dimension), circular at stride 1
GEOMETRIES = [
    ("1-D circular sum", [4], [2], ["--padding", "0:1", "--padding-mode", "circular"], 1, 1, 1, [1], True),
    ("1-D circular, 3 taps", [9], [3], ["--padding", "1", "--padding-mode", "circular"], 1, 1, 1, [1], True),
    ("1-D circular, dilated, channels", [10], [3], ["--padding", "2", "--padding-mode", "circular", "--dilation", "2"], 2, 3, 1, [2], True),
    ("2-D circular, channels", [5, 6], [3, 3], ["--padding", "1", "--padding-mode", "circular"], 2, 3, 1, [1, 1], True),
    ("2-D circular, groups, uneven", [4, 5], [2, 3], ["--padding", "0:1x2:0", "--padding-mode", "circular"], 4, 2, 2, [1, 1], True),
    ("2-D zeros, same", [6, 6], [3, 3], ["--padding", "same"], 1, 2, 1, [1, 1], False),
    ("2-D zeros, stride 2", [7, 6], [3, 2], ["--stride", "2", "--padding", "1"], 2, 2, 1, [1, 1], False),
    ("1-D valid, wide", [8], [3], ["--stride", "2"], 3, 1, 1, [1], False),
    ("2-D zeros, stride 2, wide", [8, 8], [3, 3], ["--stride", "2", "--padding", "1"], 1, 1, 1, [1, 1], False),
    ("1-D reflect", [7], [3], ["--padding", "1", "--padding-mode", "reflect"], 1, 1, 1, [1], False),
]

rng = random.Random(24)
with tempfile.TemporaryDirectory() as folder:
    for name, size, kernel, flags, cin, cout, groups, dilation, circulant in GEOMETRIES:
        weight_shape = [cout, cin // groups] + kernel
        weights = numpy.array([round(rng.uniform(-1, 1), 3) for _ in range(int(numpy.prod(weight_shape)))])
        base = ["--input", "x".join(map(str, size)), "--kernel", "x".join(map(str, kernel)), "--in-channels", str(cin),
                "--out-channels", str(cout), "--groups", str(groups)] + flags + ["--weights", ",".join(repr(float(w)) for w in weights)]
        path = os.path.join(folder, "c.npy")
        convmat(["matrix"] + base + ["--format", "npy", "--output", path])
        c = numpy.load(path)
        expected = numpy.linalg.svd(c, compute_uv=False)
        report = json.loads(convmat(["spectrum"] + base + ["--json"]))
        scale = expected[0]
        check(report["route"] == ("fourier" if circulant else "dense"), f"{name}: route {report['route']}")
        values = numpy.array(report["singular_values"])
        check(values.shape == expected.shape and numpy.abs(values - expected).max() <= 1e-10 * scale,
              f"{name}: singular values differ from numpy.linalg.svd by {numpy.abs(values - expected).max() if values.shape == expected.shape else values.shape}")
        check(abs(report["sigma_max"] - scale) <= 1e-10 * scale, f"{name}: sigma_max")
        check(abs(report["sigma_min"] - expected[-1]) <= 1e-10 * scale, f"{name}: sigma_min")
        if expected[-1] > 1e-8 * scale:
            check(abs(report["condition"] / (scale / expected[-1]) - 1) <= 1e-6, f"{name}: condition")
        if circulant:
            # The DFT identity, from the weights alone: the kernel on the input grid, tap t at dilation·t.
            grid = numpy.zeros([cout, cin // groups] + size)
            for tap in itertools.product(*[range(k) for k in kernel]):
                position = tuple(d * t for d, t in zip(dilation, tap))
                grid[(slice(None), slice(None)) + position] = weights.reshape(weight_shape)[(slice(None), slice(None)) + tap]
            spectrum = numpy.fft.fftn(grid, axes=tuple(range(2, 2 + len(size))))
            per = []
            for frequency in itertools.product(*[range(n) for n in size]):
                matrix = spectrum[(slice(None), slice(None)) + frequency]
                for g in range(groups):
                    block = matrix[g * (cout // groups):(g + 1) * (cout // groups), :]
                    per.extend(numpy.linalg.svd(block, compute_uv=False))
            dft = numpy.sort(numpy.array(per))[::-1]
            check(dft.shape == values.shape and numpy.abs(dft - values).max() <= 1e-10 * scale, f"{name}: DFT identity")
        x = splitmix64(9, c.shape[1])
        check(abs(report["input_norm"] - numpy.linalg.norm(x)) <= 1e-12 * numpy.linalg.norm(x), f"{name}: ‖x‖")
        check(abs(report["transpose_residual"] - numpy.linalg.norm(x - c.T @ (c @ x))) <= 1e-10 * max(1, numpy.linalg.norm(x)), f"{name}: ‖x − CᵀCx‖")
        pinv = numpy.linalg.norm(x - numpy.linalg.pinv(c) @ (c @ x))
        check(abs(report["pseudo_inverse_residual"] - pinv) <= 1e-8 * numpy.linalg.norm(x), f"{name}: ‖x − C⁺Cx‖ {report['pseudo_inverse_residual']} vs {pinv}")
        check(report["rank"] == numpy.linalg.matrix_rank(c), f"{name}: rank")
        reshaped = numpy.linalg.norm(weights.reshape(cout, -1), 2)
        check(abs(report["reshaped_weight_norm"] - reshaped) <= 1e-12 * reshaped, f"{name}: ‖W‖₂")
        check(abs(report["spectral_norm_ratio"] - scale / reshaped) <= 1e-9 * scale / reshaped, f"{name}: ratio")
        iterative = json.loads(convmat(["spectrum"] + base + ["--json", "--route", "iterative"]))
        check(abs(iterative["sigma_max"] - scale) <= 1e-9 * scale, f"{name}: iterative sigma_max")
        # A wide C's σ_min (the m-th value) comes from CCᵀ; a tall or square one's from CᵀC.
        check(iterative["sigma_min"] is not None and abs(iterative["sigma_min"] ** 2 - expected[-1] ** 2) <= 1e-10 * scale**2, f"{name}: iterative sigma_min")
        check(iterative["converged"] is True, f"{name}: iterative converged")
    # A transposed convolution: Cᵀ has C's singular values.
    transposed = json.loads(convmat(["spectrum", "--input", "3", "--kernel", "3", "--stride", "2", "--transposed", "--weights", "1,2,3", "--json"]))
    convmat(["matrix", "--input", "3", "--kernel", "3", "--stride", "2", "--transposed", "--weights", "1,2,3", "--format", "npy", "--output", path])
    expected = numpy.linalg.svd(numpy.load(path), compute_uv=False)
    check(numpy.abs(numpy.array(transposed["singular_values"]) - expected).max() <= 1e-12 * expected[0], "transposed: singular values of Cᵀ")

    # Clustered smallest values: 1-D, 1 024 inputs, circular, 3 taps from SplitMix64 seed 1 (convmat's
    # --random-weights 1). Its smallest singular values differ by 1e-6; the iterative route must
    # converge and agree with numpy's SVD of the same C.
    taps = ",".join(repr(float(v)) for v in splitmix64(1, 3))
    base = ["--input", "1024", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--weights", taps]
    convmat(["matrix"] + base + ["--format", "npy", "--output", path])
    expected = numpy.linalg.svd(numpy.load(path), compute_uv=False)
    iterative = json.loads(convmat(["spectrum"] + base + ["--json", "--route", "iterative"]))
    scale = expected[0]
    check(iterative["converged"] is True, "clustered 1-D 1024: iterative converged")
    check(abs(iterative["sigma_max"] - scale) <= 1e-9 * scale, "clustered 1-D 1024: iterative sigma_max")
    check(abs(iterative["sigma_min"] ** 2 - expected[-1] ** 2) <= 1e-10 * scale**2, f"clustered 1-D 1024: iterative sigma_min {iterative['sigma_min']} vs {expected[-1]}")

for failure in failures:
    print("FAIL:", failure)
print(f"check_spectrum: {checks - len(failures)} of {checks} checks passed against numpy ({len(GEOMETRIES) + 2} geometries)")
sys.exit(1 if failures else 0)
