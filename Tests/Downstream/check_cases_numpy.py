#!/usr/bin/env python3
"""Checks every expected output of `convmat cases` folders with a numpy
convolution written here, as a user testing their own numpy code would.

    python3 Tests/Downstream/check_cases_numpy.py DIR [DIR ...]

The reference below is the user's code: conv, conv_transpose,
conv_input_grad and conv_weight_grad for 1-D to 3-D, both layouts, bias, stride, dilation, [before, after]
padding, "same"/"valid", PyTorch's padding_mode (numpy's own np.pad modes:
reflect, edge, wrap), groups, output_padding and output_shape, written from
the PyTorch and TensorFlow documentation (docs/case-format.md), not from
ConvMatrix. A case agrees when |got - expected| <= "tolerance" element by
element, and exactly without one (the cases of multiples of 1/4, where every
sum is exact). Prints "N passed, M failed" and exits 1 when any case fails.
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


# PyTorch's padding_mode as numpy's np.pad calls it: reflect (no edge repeated), edge, wrap.
NUMPY_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(x, pairs, mode):
    """x [N, C, *i] padded in its spatial axes as F.pad(mode) pads it."""
    return np.pad(x, [(0, 0), (0, 0)] + list(pairs), mode=NUMPY_PAD_MODES[mode])


def unpad(gp, pairs, mode, x_spatial):
    """The adjoint of pad: a gradient over the padded input [N, C, *padded] summed back onto x [N, C, *x_spatial]:
    every padded position adds onto the element it copies (nothing, for zeros), one axis at a time."""
    for axis, (i, (before, after)) in enumerate(zip(x_spatial, pairs)):
        source = np.pad(np.arange(i), (before, after), mode=NUMPY_PAD_MODES[mode]) if mode != "zeros" else None
        moved = np.moveaxis(gp, axis + 2, 0)
        folded = np.zeros((i,) + moved.shape[1:])
        if source is None:
            folded += moved[before:before + i]
        else:
            np.add.at(folded, source, moved)
        gp = np.moveaxis(folded, 0, axis + 2)
    return gp


def _windows(padded_shape, kernel, stride, dilation, output):
    """For every kernel tap: the tap's index and the strided slice of the padded input it reads."""
    for tap in itertools.product(*(range(k) for k in kernel)):
        yield tap, tuple(slice(t * d, t * d + (o - 1) * s + 1, s) for t, d, o, s in zip(tap, dilation, output, stride))


def conv(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
    """PyTorch's conv: x [N, C_in, *i], w [C_out, C_in/groups, *k] -> [N, C_out, *o]."""
    kernel = w.shape[2:]
    xp = pad(x, pairs, mode)
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


def conv_input_gradient(g_out, w, stride, dilation, pairs, groups, x_spatial, mode="zeros"):
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
    return unpad(gp, pairs, mode, x_spatial)


def conv_weight_gradient(x, g_out, weight_shape, stride, dilation, pairs, groups, mode="zeros"):
    """The gradient of sum(conv(x, w) * g_out) with respect to w [C_out, C_in/groups, *k]: per tap, the
    padded input's window times g_out, summed over the batch and the output positions."""
    kernel = weight_shape[2:]
    xp = pad(x, pairs, mode)
    c_out, per_group = weight_shape[:2]
    out_per_group = c_out // groups
    dw = np.zeros(weight_shape)
    for tap, window in _windows(xp.shape[2:], kernel, stride, dilation, g_out.shape[2:]):
        for g in range(groups):
            part = xp[(slice(None), slice(g * per_group, (g + 1) * per_group)) + window]
            grads = g_out[:, g * out_per_group:(g + 1) * out_per_group]
            dw[(slice(g * out_per_group, (g + 1) * out_per_group), slice(None)) + tap] = np.einsum(
                "ncs,nos->oc", part.reshape(part.shape[0], part.shape[1], -1), grads.reshape(grads.shape[0], grads.shape[1], -1))
    return dw


def tensor(value):
    data = np.array(value["data"], dtype=np.float64)
    return data.reshape(value["shape"]) if "shape" in value else data


def compute(case):
    """The output of one case document, in its layout."""
    tf = case.get("layout", "pytorch") == "tensorflow"
    op = case["op"]
    if op == "conv_weight_grad":
        x, g_out, shape = tensor(case["input"]), tensor(case["grad_output"]), list(case["weight_shape"])
        rank = x.ndim - 2
        if tf:  # x and g to [N, C, *s]; the weight's shape [*k, C_in, C_out] to [C_out, C_in, *k]
            x, g_out = np.moveaxis(x, -1, 1), np.moveaxis(g_out, -1, 1)
            shape = [shape[rank + 1], shape[rank]] + shape[:rank]
        stride = case.get("stride", [1] * rank)
        dilation = case.get("dilation", [1] * rank)
        pairs = _pairs(case, x.shape[2:], shape[2:], stride, dilation)
        dw = conv_weight_gradient(x, g_out, shape, stride, dilation, pairs, case.get("groups", 1), case.get("padding_mode", "zeros"))
        return np.transpose(dw, list(range(2, rank + 2)) + [1, 0]) if tf else dw
    x, w = tensor(case["input"]), tensor(case["weight"])
    rank = x.ndim - 2
    if tf:  # to PyTorch's order: x [N, C, *s], w [out, in/groups, *k] of the convolution C
        x = np.moveaxis(x, -1, 1)
        w = np.transpose(w, [rank + 1, rank] + list(range(rank)))
    kernel = w.shape[2:]
    stride = case.get("stride", [1] * rank)
    dilation = case.get("dilation", [1] * rank)
    groups = case.get("groups", 1)
    mode = case.get("padding_mode", "zeros")
    if op == "conv":
        result = conv(x, w, stride, dilation, _pairs(case, x.shape[2:], kernel, stride, dilation), groups, mode=mode)
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
        result = conv_input_gradient(x, w, stride, dilation, pairs, groups, spatial, mode=mode)
    if "bias" in case:  # one value per output channel, added after the op (bias= in PyTorch, tf.nn.bias_add)
        result = result + tensor(case["bias"]).reshape([1, -1] + [1] * rank)
    return np.moveaxis(result, 1, -1) if tf else result


def agrees(got, expected):
    """The case format's rule: |got - expected| <= tolerance element by element, exactly equal without one."""
    want = np.array(expected["data"], dtype=np.float64).reshape(expected["shape"])
    if got.shape != want.shape:
        return False
    if "tolerance" not in expected:
        return np.array_equal(got, want)
    tolerance = np.array(expected["tolerance"], dtype=np.float64).reshape(want.shape)
    return bool(np.all(np.abs(got - want) <= tolerance))


def main(folders):
    passed = failed = 0
    modes = {}
    biased = 0
    ops = {}
    for folder in folders:
        for path in sorted(pathlib.Path(folder).glob("case-*.json")):
            case = json.loads(path.read_text())
            mode = case.get("padding_mode", "zeros")
            modes[mode] = modes.get(mode, 0) + 1
            biased += "bias" in case
            ops[case["op"]] = ops.get(case["op"], 0) + 1
            got = compute(case)
            if agrees(got, case["expected"]):
                passed += 1
            else:
                failed += 1
                print(f"FAIL {path}: shape {list(got.shape)} vs {case['expected']['shape']}")
    print(f"{passed} passed, {failed} failed (padding_mode: " + ", ".join(f"{m} {modes[m]}" for m in sorted(modes))
          + f"; with bias: {biased}; ops: " + ", ".join(f"{o} {ops[o]}" for o in sorted(ops)) + ")")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
