#!/usr/bin/env python3
"""Checks the files `convmat cases` writes against PyTorch or TensorFlow:

    convmat cases --random 200 --seed 1 --output /tmp/cases
    python3 Tests/Fixtures/check_generated_cases.py /tmp/cases

Each case is computed by the framework of its layout in float64 (PyTorch:
F.conv*d of F.pad for [before, after] pairs, torch.nn.Conv*d(padding_mode=…)
or F.pad(mode=…) for a padding_mode, F.conv_transpose*d cropped, and
autograd for conv_input_grad, a bias through bias=; TensorFlow: tf.nn.convolution or tf.nn.conv2d
with an explicit padding list, its gradient for conv_transpose and
conv_input_grad, with a dilated kernel written out with zeros because
TensorFlow's CPU gradients refuse dilation, a bias through tf.nn.bias_add) and compared with "expected".
Cases of multiples of 1/4 must agree exactly, cases with "tolerance" within it
element by element; the script prints any case that does not, the largest
difference and the largest difference / tolerance. 3-D SAME cases that
hit TensorFlow 2.21's Conv3D issue (docs/fixtures.md, "Where TensorFlow
disagrees with itself") are skipped and counted. Needs torch and, for the
tensorflow layout, tensorflow-cpu, like generate_fixtures.py.
"""
import glob
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
try:
    import tensorflow as tf  # noqa: E402
except ImportError:  # a folder of pytorch cases needs only torch
    tf = None

torch.set_default_dtype(torch.float64)


def array(tensor):
    return np.array(tensor["data"], dtype=np.float64).reshape(tensor["shape"])


def pad_amounts(pairs):
    """F.pad's argument for one [before, after] pair per spatial dimension (last dimension first)."""
    flat = []
    for before, after in reversed(pairs):
        flat += [before, after]
    return flat


def pytorch(case):
    if case["op"] == "conv_weight_grad":  # autograd of sum(conv(x, w) * g) with respect to w
        w = torch.zeros(case["weight_shape"], dtype=torch.float64, requires_grad=True)
        return pytorch(dict(case, op="conv", weight=w)).mul(torch.tensor(array(case["grad_output"]))).sum().backward() or w.grad
    x = torch.tensor(array(case["input"]))
    w = case["weight"] if isinstance(case["weight"], torch.Tensor) else torch.tensor(array(case["weight"]))
    b = torch.tensor(array(case["bias"])) if "bias" in case else None
    rank = x.ndim - 2
    conv = [F.conv1d, F.conv2d, F.conv3d][rank - 1]
    conv_transpose = [F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d][rank - 1]
    stride, dilation = case.get("stride", [1] * rank), case.get("dilation", [1] * rank)
    groups, padding = case.get("groups", 1), case.get("padding", [0] * rank)
    pairs = None
    if isinstance(padding, list) and any(isinstance(p, list) for p in padding):
        pairs = [p if isinstance(p, list) else [p, p] for p in padding]
    mode = case.get("padding_mode", "zeros")
    if mode != "zeros":
        # torch.nn.Conv*d(padding_mode=…) for symmetric padding and "same", F.pad(mode=…) then no padding for pairs.
        if pairs is None and padding != "same":
            pairs = [[p, p] for p in (padding if isinstance(padding, list) else [padding] * rank)] if padding != "valid" else [[0, 0]] * rank

        def forward(z):
            if pairs is None:
                layer = [torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d][rank - 1](
                    w.shape[1] * groups, w.shape[0], tuple(w.shape[2:]), stride=stride, padding="same", dilation=dilation,
                    groups=groups, bias=False, padding_mode=mode)
                with torch.no_grad():
                    layer.weight.copy_(w)
                return layer(z)
            return conv(F.pad(z, pad_amounts(pairs), mode=mode), w, stride=stride, dilation=dilation, groups=groups)

        if case["op"] == "conv":
            return forward(x) + (0 if b is None else b.reshape([1, -1] + [1] * rank))
        z = torch.zeros(case["input_shape"], requires_grad=True)
        (forward(z) * x).sum().backward()
        return z.grad
    if case["op"] == "conv":
        if pairs:
            return conv(F.pad(x, pad_amounts(pairs)), w, b, stride=stride, dilation=dilation, groups=groups)
        return conv(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    if case["op"] == "conv_transpose":
        extra = case.get("output_padding", [0] * rank)
        if pairs:
            full = conv_transpose(x, w, b, stride=stride, dilation=dilation, groups=groups, output_padding=extra)
            crop = [slice(None), slice(None)] + [slice(b, full.shape[2 + d] - a) for d, (b, a) in enumerate(pairs)]
            return full[tuple(crop)]
        return conv_transpose(x, w, b, stride=stride, padding=padding, output_padding=extra, dilation=dilation, groups=groups)
    z = torch.zeros(case["input_shape"], requires_grad=True)
    if pairs:
        y = conv(F.pad(z, pad_amounts(pairs)), w, stride=stride, dilation=dilation, groups=groups)
    else:
        y = conv(z, w, stride=stride, padding=padding, dilation=dilation, groups=groups)
    (y * x).sum().backward()
    return z.grad


def tensorflow(case):
    if case["op"] == "conv_weight_grad":
        # tf.GradientTape of sum(conv(x, w) * g) with respect to w; with dilation, with respect to the kernel
        # written out with zeros between the taps (TensorFlow's CPU gradients refuse dilation), read at the taps.
        shape = case["weight_shape"]
        rank = len(shape) - 2
        dilation = case.get("dilation", [1] * rank)
        w = tf.Variable(tf.zeros([(k - 1) * d + 1 for k, d in zip(shape[:rank], dilation)] + shape[rank:], tf.float64))
        padding = case.get("padding", "VALID")
        stride = case.get("stride", [1] * rank)
        if rank == 3 and padding == "SAME":
            # TensorFlow 2.21's CPU Conv3D misreads SAME when (o − 1)·s + span − i ≤ −2 (docs/fixtures.md).
            for i, k, s, d in zip(case["input"]["shape"][1:-1], shape[:rank], stride, dilation):
                if (-(-i // s) - 1) * s + d * (k - 1) + 1 - i <= -2:
                    return None

        @tf.function  # eager 3-D convolution gradients fail in TensorFlow 2.21
        def gradient():
            with tf.GradientTape() as tape:
                x = tf.constant(array(case["input"]))
                y = tf.nn.conv2d(x, w, strides=stride, padding=padding) if isinstance(padding, list) else \
                    tf.nn.convolution(x, w, strides=stride, padding=padding)
                loss = tf.reduce_sum(y * tf.constant(array(case["grad_output"])))
            return tape.gradient(loss, w)
        return gradient().numpy()[tuple(slice(None, None, d) for d in dilation)]
    x, w = tf.constant(array(case["input"])), tf.constant(array(case["weight"]))
    rank = len(case["input"]["shape"]) - 2
    stride, dilation = case.get("stride", [1] * rank), case.get("dilation", [1] * rank)
    padding = case.get("padding", "VALID")

    def forward(z):
        kernel = w
        if any(d > 1 for d in dilation):
            # TensorFlow's CPU gradients refuse dilation: the same convolution with zeros between the taps.
            k = w.numpy()
            spread = np.zeros(tuple((k.shape[i] - 1) * dilation[i] + 1 for i in range(rank)) + k.shape[rank:])
            spread[tuple(slice(None, None, dilation[i]) for i in range(rank))] = k
            kernel = tf.constant(spread)
        if isinstance(padding, list):
            return tf.nn.conv2d(z, kernel, strides=stride, padding=padding)
        return tf.nn.convolution(z, kernel, strides=stride, padding=padding)

    shape = case.get("output_shape") if case["op"] == "conv_transpose" else case.get("input_shape")
    if rank == 3 and padding == "SAME":
        # TensorFlow 2.21's CPU Conv3D misreads SAME when (o − 1)·s + span − i ≤ −2 (docs/fixtures.md).
        sizes = case["input"]["shape"][1:-1] if case["op"] == "conv" else shape[1:-1]
        kernel = case["weight"]["shape"][:rank]
        for i, k, s, d in zip(sizes, kernel, stride, dilation):
            if (-(-i // s) - 1) * s + d * (k - 1) + 1 - i <= -2:
                return None
    if case["op"] == "conv":
        y = forward(x)
        return (tf.nn.bias_add(y, tf.constant(array(case["bias"]))) if "bias" in case else y).numpy()

    @tf.function  # eager 3-D convolution gradients fail in TensorFlow 2.21
    def gradient():
        z = tf.zeros(shape, tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(z)
            y = forward(z)
            assert list(y.shape) == list(x.shape), (y.shape, x.shape)
            loss = tf.reduce_sum(y * x)
        return tape.gradient(loss, z)
    result = gradient()
    return (tf.nn.bias_add(result, tf.constant(array(case["bias"]))) if "bias" in case else result).numpy()


def main():
    """Exact cases must agree exactly; a case with "tolerance" must agree within it element by element,
    and its largest |framework - expected| / tolerance is reported."""
    worst, count, skipped, outside, ratio, real = 0.0, 0, 0, 0, 0.0, 0
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "case-*.json"))):
        with open(path) as f:
            case = json.load(f)
        expected = array(case["expected"])
        framework = pytorch if case.get("layout", "pytorch") == "pytorch" else tensorflow
        result = framework(case)
        if result is None:
            skipped += 1
            continue
        result = np.asarray(result.detach() if hasattr(result, "detach") else result)
        assert result.shape == expected.shape, (path, result.shape, expected.shape)
        gap = np.abs(result - expected)
        count += 1
        if "tolerance" in case["expected"]:
            real += 1
            tolerance = np.array(case["expected"]["tolerance"], dtype=np.float64).reshape(expected.shape)
            if np.any(gap > tolerance):
                outside += 1
                print(f"outside the tolerance: {path} by {float((gap - tolerance).max())}")
            if np.any(tolerance > 0):
                ratio = max(ratio, float((gap[tolerance > 0] / tolerance[tolerance > 0]).max()))
            continue
        difference = float(gap.max()) if result.size else 0.0
        if difference > 0:
            print(f"differs: {path} by {difference}")
        worst = max(worst, difference)
    note = f" ({skipped} skipped: TensorFlow's Conv3D SAME issue)" if skipped else ""
    print(f"{count} cases, largest difference {worst} in the {count - real} exact ones; {real} with a tolerance, "
          f"{outside} outside it, largest difference / tolerance {ratio:.3g}{note}")
    sys.exit(1 if worst > 0 or outside else 0)


if __name__ == "__main__":
    main()
