#!/usr/bin/env python3
"""Checks every expected output of `convmat cases` folders with a numpy
convolution written here, as a user testing their own numpy code would.

    python3 Tests/Downstream/check_cases_numpy.py DIR [DIR ...]

The reference below is the user's code: conv, conv_transpose and
conv_input_grad for 1-D to 3-D, both layouts, stride, dilation, [before, after]
padding, "same"/"valid", groups, output_padding and output_shape, written from
the PyTorch and TensorFlow documentation (docs/case-format.md), not from
ConvMatrix. The cases' data are multiples of 1/4, so every sum is exact and
the outputs must be equal, not close. Prints "N passed, M failed" and exits 1
when any case fails.
"""
import itertools
import json
import pathlib
import sys

import numpy as np


def _pairs(case, spatial_in, kernel, stride, dilation):
    """[before, after] per spatial dimension for the convolution whose input has size spatial_in."""
    rank = len(kernel)
    padding = case.get("padding", 0 if case.get("layout", "pytorch") == "pytorch" else "VALID")
    if isinstance(padding, str):
        if padding.upper() == "VALID":
            return [(0, 0)] * rank
        result = []
        for i, k, s, d in zip(spatial_in, kernel, stride, dilation):  # SAME: output ceil(i / s), odd zero at the end
            total = max((-(-i // s) - 1) * s + d * (k - 1) + 1 - i, 0)
            result.append((total // 2, total - total // 2))
        return result
    if isinstance(padding, int):
        return [(padding, padding)] * rank
    if case.get("layout", "pytorch") == "tensorflow":
        padding = padding[1:-1]  # [[0, 0], [top, bottom], ..., [0, 0]]
    return [tuple(p) if isinstance(p, list) else (p, p) for p in padding]


def _windows(padded_shape, kernel, stride, dilation, output):
    """For every kernel tap: the tap's index and the strided slice of the padded input it reads."""
    for tap in itertools.product(*(range(k) for k in kernel)):
        yield tap, tuple(slice(t * d, t * d + (o - 1) * s + 1, s) for t, d, o, s in zip(tap, dilation, output, stride))


def conv(x, w, stride, dilation, pairs, groups, output=None):
    """PyTorch's conv: x [N, C_in, *i], w [C_out, C_in/groups, *k] -> [N, C_out, *o]."""
    kernel = w.shape[2:]
    xp = np.pad(x, [(0, 0), (0, 0)] + list(pairs))
    if output is None:
        output = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(xp.shape[2:], kernel, stride, dilation)]
    n, c_in = x.shape[:2]
    c_out, per_group = w.shape[:2]
    y = np.zeros([n, c_out] + list(output))
    out_per_group = c_out // groups
    for tap, window in _windows(xp.shape[2:], kernel, stride, dilation, output):
        for g in range(groups):
            part = xp[(slice(None), slice(g * per_group, (g + 1) * per_group)) + window]
            taps = w[(slice(g * out_per_group, (g + 1) * out_per_group), slice(None)) + tap]
            y[:, g * out_per_group:(g + 1) * out_per_group] += np.einsum("nc...,oc->no...", part, taps)
    return y


def conv_input_gradient(g_out, w, stride, dilation, pairs, groups, x_spatial):
    """The gradient of sum(conv(x) * g_out) with respect to x [N, C_in, *x_spatial]."""
    kernel = w.shape[2:]
    n = g_out.shape[0]
    c_out, per_group = w.shape[:2]
    out_per_group = c_out // groups
    padded = [i + b + a for i, (b, a) in zip(x_spatial, pairs)]
    gp = np.zeros([n, per_group * groups] + padded)
    for tap, window in _windows(padded, kernel, stride, dilation, g_out.shape[2:]):
        for g in range(groups):
            taps = w[(slice(g * out_per_group, (g + 1) * out_per_group), slice(None)) + tap]
            part = g_out[:, g * out_per_group:(g + 1) * out_per_group]
            gp[(slice(None), slice(g * per_group, (g + 1) * per_group)) + window] += np.einsum("no...,oc->nc...", part, taps)
    return gp[(slice(None), slice(None)) + tuple(slice(b, b + i) for i, (b, _) in zip(x_spatial, pairs))]


def tensor(value):
    data = np.array(value["data"], dtype=np.float64)
    return data.reshape(value["shape"]) if "shape" in value else data


def compute(case):
    """The output of one case document, in its layout."""
    tf = case.get("layout", "pytorch") == "tensorflow"
    x, w = tensor(case["input"]), tensor(case["weight"])
    rank = x.ndim - 2
    if tf:  # to PyTorch's order: x [N, C, *s], w [out, in/groups, *k] of the convolution C
        x = np.moveaxis(x, -1, 1)
        w = np.transpose(w, [rank + 1, rank] + list(range(rank)))
    kernel = w.shape[2:]
    stride = case.get("stride", [1] * rank)
    dilation = case.get("dilation", [1] * rank)
    groups = case.get("groups", 1)
    op = case["op"]
    if op == "conv":
        result = conv(x, w, stride, dilation, _pairs(case, x.shape[2:], kernel, stride, dilation), groups)
    else:
        if op == "conv_input_grad":
            shape = case["input_shape"]
            spatial = shape[1:-1] if tf else shape[2:]
        elif tf:
            spatial = case["output_shape"][1:-1]
        else:  # PyTorch: o' = (i' - 1)s - before - after + d(k - 1) + 1 + output_padding
            pairs = _pairs(case, None, kernel, stride, dilation)
            extra = case.get("output_padding", [0] * rank)
            spatial = [(i - 1) * s - b - a + d * (k - 1) + 1 + e
                       for i, s, (b, a), d, k, e in zip(x.shape[2:], stride, pairs, dilation, kernel, extra)]
        pairs = _pairs(case, spatial, kernel, stride, dilation)
        result = conv_input_gradient(x, w, stride, dilation, pairs, groups, spatial)
    return np.moveaxis(result, 1, -1) if tf else result


def main(folders):
    passed = failed = 0
    for folder in folders:
        for path in sorted(pathlib.Path(folder).glob("case-*.json")):
            case = json.loads(path.read_text())
            got = compute(case)
            expected = np.array(case["expected"]["data"]).reshape(case["expected"]["shape"])
            if got.shape == expected.shape and np.array_equal(got, expected):
                passed += 1
            else:
                failed += 1
                print(f"FAIL {path}: shape {list(got.shape)} vs {list(expected.shape)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
