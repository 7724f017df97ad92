#!/usr/bin/env python3
"""Writes ConvMatrix's framework fixtures: cases in the `convmat run` format
(docs/case-format.md) with the result PyTorch or TensorFlow computes for them.

    python3 Tests/Fixtures/generate_fixtures.py
    python3 Tests/Fixtures/generate_fixtures.py --only padding-modes
    python3 Tests/Fixtures/generate_fixtures.py --only bias
    python3 Tests/Fixtures/generate_fixtures.py --only weight-grad

Needs torch==2.13.0+cpu and tensorflow-cpu; only regenerating needs them, the
Swift tests read the committed JSON. `--only padding-modes` rewrites just the
padding_mode fixtures (cases/pt_mode_*, errors/pt_mode_*, padding_modes/) and
needs only torch (they were written with torch 2.15.0); `--only bias` rewrites the
bias fixtures (cases/pt_bias_*, cases/tf_bias_*, errors/pt_bias_*), the TensorFlow ones when
tensorflow-cpu is installed. Every computation is float64
(torch.float64, tf.float64). The data of each fixture comes from a NumPy
generator seeded with a hash of the fixture's name, so a rerun writes the same
bytes and adding a fixture leaves the others unchanged.

cases/<name>.json   {"case": <case document>, "expected": {"output": <tensor>}}
errors/<name>.json  {"case": <case document>, "error_contains": <field name>,
                     "refused_by": <the framework's own refusal, or why none applies>}
                    or, for text that is not JSON (or holds a literal JSON
                    cannot carry as a number), "case_text": <the raw text>.
output_sizes/<rule>.json  {"rule": ..., "verdicts": [...]}: for small 1-D
                    geometries and every candidate size near the valid range,
                    whether the framework accepts it (PyTorch's output_size and
                    output_padding, TensorFlow's output_shape under SAME and
                    VALID), with the output size or the range PyTorch quotes.
pooling/output_sizes.json  for 1-D max_pool1d and avg_pool1d (input 1–7, kernel
                    1–4, stride 1–3, padding 0–2, ceil_mode off and on): the output
                    size PyTorch computes, or its refusal.
padding_modes/matrices.json  for a few geometries with padding_mode reflect,
                    replicate and circular: the matrix C of torch.nn.Conv{1,2}d,
                    the layer applied to every unit vector (column j = conv(e_j)).
pooling/matrices.json  avg_pool2d applied to every unit vector (the matrix A,
                    count_include_pad and ceil_mode as PyTorch has them), and
                    max_pool2d at given x: the indices it picks (the selection
                    S(x)) and autograd's gradient for a given g (S(x)ᵀg).

Numbers are written by Python's json module, which prints floats with
float.__repr__ (the shortest text that reads back as the same float64).
"""

import json
import os
import re
import shutil
import sys
import warnings
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
try:
    import tensorflow as tf  # noqa: E402
except ImportError:  # `--only padding-modes` needs only torch
    tf = None

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
ERRORS = os.path.join(HERE, "errors")
SIZES = os.path.join(HERE, "output_sizes")
POOLING = os.path.join(HERE, "pooling")
PADDING_MODES = os.path.join(HERE, "padding_modes")
WEIGHT_MATRICES = os.path.join(HERE, "weight_matrices")

torch.set_default_dtype(torch.float64)
# PyTorch notes that padding="same" with an even kernel copies the input; not a problem here.
warnings.filterwarnings("ignore", message="Using padding='same'")


# ---------------------------------------------------------------- helpers

def generator(name):
    """The random source of one fixture: seeded by the fixture's name only."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def values(rng, shape):
    """Random float64 values with four decimals: short in JSON, but not dyadic,
    so the products and sums the fixture checks are rounded as in real use."""
    return rng.standard_normal(shape).round(4)


def tensor(array):
    """A tensor in the case format: shape and row-major data as Python floats."""
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.reshape(-1)]}


def write(directory, name, document):
    path = os.path.join(directory, name + ".json")
    with open(path, "w") as f:
        f.write(json.dumps(document, allow_nan=False) + "\n")


written = []


def fixture(name, case, output):
    output = np.asarray(output, dtype=np.float64)
    assert np.all(np.isfinite(output)), name
    write(CASES, name, {"case": case, "expected": {"output": tensor(output)}})
    written.append(name)


def torch_op(rank, kind):
    return {
        "conv": [F.conv1d, F.conv2d, F.conv3d],
        "conv_transpose": [F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d],
        "conv_input_grad": [torch.nn.grad.conv1d_input, torch.nn.grad.conv2d_input, torch.nn.grad.conv3d_input],
    }[kind][rank - 1]


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


# ---------------------------------------------------------------- PyTorch layout

def add_settings(case, **settings):
    """Adds the case keys whose values were given (None means: the format's default)
    and returns them, ready to pass on as keyword arguments."""
    given = {key: value for key, value in settings.items() if value is not None}
    case.update(given)
    return given


def pytorch_conv(name, x, w, stride=None, padding=None, dilation=None, groups=None, rng=None):
    """F.conv{1,2,3}d on x [N, C, *s] and w [C_out, C_in/groups, *k]."""
    rank = x.ndim - 2
    case = {"op": "conv", "layout": "pytorch", "input": tensor(x), "weight": tensor(w)}
    kwargs = add_settings(case, stride=stride, padding=padding, dilation=dilation, groups=groups)
    out = torch_op(rank, "conv")(t(x), t(w), **kwargs)
    fixture(name, case, out.numpy())
    return out.numpy()


def pytorch_conv_transpose(name, x, w, stride=None, padding=None, output_padding=None, dilation=None, groups=None):
    """F.conv_transpose{1,2,3}d on x [N, C_in, *s] and w [C_in, C_out/groups, *k]."""
    rank = x.ndim - 2
    case = {"op": "conv_transpose", "layout": "pytorch", "input": tensor(x), "weight": tensor(w)}
    kwargs = add_settings(case, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)
    out = torch_op(rank, "conv_transpose")(t(x), t(w), **kwargs)
    fixture(name, case, out.numpy())
    return out.numpy()


def pytorch_input_grad(name, input_shape, g, w, stride=None, padding=None, dilation=None, groups=None):
    """torch.nn.grad.conv{1,2,3}d_input, checked against autograd of sum(conv(x) * g)."""
    rank = g.ndim - 2
    case = {"op": "conv_input_grad", "layout": "pytorch", "input": tensor(g), "weight": tensor(w),
            "input_shape": list(input_shape)}
    kwargs = add_settings(case, stride=stride, padding=padding, dilation=dilation, groups=groups)
    out = torch_op(rank, "conv_input_grad")(list(input_shape), t(w), t(g), **kwargs)
    x = torch.zeros(input_shape, dtype=torch.float64, requires_grad=True)
    (torch_op(rank, "conv")(x, t(w), **kwargs) * t(g)).sum().backward()
    assert torch.allclose(out, x.grad, rtol=1e-13, atol=1e-13), name
    fixture(name, case, out.numpy())


# ---------------------------------------------------------------- TensorFlow layout

def tf_conv(name, x, w, stride=None, padding=None, dilation=None):
    """tf.nn.convolution on x [N, *s, C] and w [*k, C_in, C_out]."""
    rank = x.ndim - 2
    case = {"op": "conv", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w)}
    add_settings(case, stride=stride, padding=padding, dilation=dilation)
    out = tf.nn.convolution(tf.constant(x, tf.float64), tf.constant(w, tf.float64),
                            strides=stride or [1] * rank, padding=padding or "VALID",
                            dilations=dilation or [1] * rank)
    fixture(name, case, out.numpy())
    return out.numpy()


def tf_conv_transpose(name, x, w, output_shape, stride=None, padding=None, dilation=None):
    """tf.nn.conv{1,2,3}d_transpose on x [N, *s, C_in], w [*k, C_out, C_in].

    TensorFlow's CPU kernels refuse dilation > 1 here, so a dilated case is
    computed as what tf.nn.conv*_transpose is defined to be: the gradient of
    tf.nn.convolution with respect to its input (GradientTape), with the same
    filter array (its [*k, C_out, C_in] is the convolution's [*k, C_in, C_out])."""
    rank = x.ndim - 2
    case = {"op": "conv_transpose", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w),
            "output_shape": list(output_shape)}
    add_settings(case, stride=stride, padding=padding, dilation=dilation)
    strides = stride or [1] * rank
    pad = padding or "VALID"
    if dilation is None or all(d == 1 for d in dilation):
        op = [tf.nn.conv1d_transpose, tf.nn.conv2d_transpose, tf.nn.conv3d_transpose][rank - 1]
        out = op(tf.constant(x, tf.float64), tf.constant(w, tf.float64), output_shape=list(output_shape),
                 strides=strides, padding=pad).numpy()
    else:
        out = tf_input_gradient(output_shape, x, w, strides, pad, dilation)
    fixture(name, case, out)
    return out


def tf_input_gradient(input_shape, g, w, strides, padding, dilation):
    """d/dx sum(tf.nn.convolution(x, w) * g) at x = 0 of shape input_shape (the
    gradient does not depend on x). Traced with tf.function: eager 3-D
    convolution gradients fail in TensorFlow 2.21 (_Conv3DGrad reads a
    data_format attribute the eager op lacks)."""
    @tf.function
    def gradient():
        x = tf.zeros(input_shape, tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.convolution(x, tf.constant(w, tf.float64), strides=strides, padding=padding,
                                  dilations=dilation)
            loss = tf.reduce_sum(y * tf.constant(g, tf.float64))
        return tape.gradient(loss, x)
    return gradient().numpy()


def tf_input_grad(name, input_shape, g, w, stride=None, padding=None, dilation=None):
    """Gradient of tf.nn.convolution with respect to its input; for 2-D also
    tf.compat.v1.nn.conv2d_backprop_input, which must agree."""
    rank = g.ndim - 2
    case = {"op": "conv_input_grad", "layout": "tensorflow", "input": tensor(g), "weight": tensor(w),
            "input_shape": list(input_shape)}
    add_settings(case, stride=stride, padding=padding, dilation=dilation)
    strides = stride or [1] * rank
    pad = padding or "VALID"
    out = tf_input_gradient(input_shape, g, w, strides, pad, dilation or [1] * rank)
    if rank == 2 and dilation is None:
        direct = tf.compat.v1.nn.conv2d_backprop_input(
            list(input_shape), tf.constant(w, tf.float64), tf.constant(g, tf.float64),
            strides=[1] + list(strides) + [1], padding=pad).numpy()
        assert np.allclose(out, direct, rtol=1e-13, atol=1e-13), name
    fixture(name, case, out)


# ---------------------------------------------------------------- refused cases

def refused(name, case, error_contains, attempt=None, reason=None):
    """A case convmat must refuse. `attempt` runs the same computation in a
    framework and must raise; its first message line is kept as evidence."""
    if attempt is not None:
        try:
            result = attempt()
        except Exception as error:  # the framework's refusal, whatever its type
            text = re.sub(r"\{\{[^}]*\}\}\s*", "", str(error)).strip()  # TensorFlow's node names
            line = text.splitlines()[0] if text else type(error).__name__
            reason = f"{type(error).__name__}: {line[:160]}"
        else:
            # TensorFlow answers a VALID window that does not fit with an empty
            # tensor instead of an error; the case format has no empty tensors.
            if not (hasattr(result, "shape") and 0 in tuple(result.shape)):
                sys.exit(f"{name}: the framework accepted a case that should be refused")
            reason = (f"no error, but an empty result of shape {list(result.shape)}; "
                      "the case format refuses what has no output")
    document = {"error_contains": error_contains, "refused_by": reason}
    if isinstance(case, str):
        document["case_text"] = case
    else:
        document["case"] = case
    write(ERRORS, name, document)
    written.append("errors/" + name)


# ---------------------------------------------------------------- the fixtures

def seed_examples():
    # Seed 000 (d2l, transposed convolution): a 2×2 input scattered by a 2×2 kernel.
    X = np.array([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
    K = np.array([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
    out = pytorch_conv_transpose("d2l_scatter_stride1", X, K)
    assert out.reshape(3, 3).tolist() == [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
    out = pytorch_conv_transpose("d2l_scatter_stride2", X, K, stride=[2, 2])
    assert out.reshape(4, 4).tolist() == [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]
    out = pytorch_conv_transpose("d2l_padding1_removes_border", X, K, padding=[1, 1])
    assert out.reshape(1, 1).tolist() == [[4]]
    # d2l's matrix view: 3×3 input, kernel [[1,2],[3,4]]; Y = C·x and Cᵀ·Y.
    X3 = np.arange(9.0).reshape(1, 1, 3, 3)
    K2 = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    Y = pytorch_conv("d2l_matrix_conv", X3, K2)
    assert Y.reshape(2, 2).tolist() == [[27, 37], [57, 67]]
    C = np.array([[1, 2, 0, 3, 4, 0, 0, 0, 0], [0, 1, 2, 0, 3, 4, 0, 0, 0],
                  [0, 0, 0, 1, 2, 0, 3, 4, 0], [0, 0, 0, 0, 1, 2, 0, 3, 4]], dtype=np.float64)
    Z = pytorch_conv_transpose("d2l_matrix_transpose", Y, K2)
    assert np.array_equal(Z.reshape(-1), C.T @ Y.reshape(-1))
    # d2l: g(f(X)) has X's shape when g repeats f's hyperparameters (smaller channel counts here).
    rng = generator("seed000_d2l_shape_round_trip")  # the name its random data were first drawn under
    X = values(rng, (1, 2, 16, 16))
    W = values(rng, (3, 2, 5, 5))
    Y = pytorch_conv("d2l_shape_round_trip_conv", X, W, stride=[3, 3], padding=[2, 2])
    assert Y.shape == (1, 3, 6, 6)
    Z = pytorch_conv_transpose("d2l_shape_round_trip_transpose", Y.round(4), values(rng, (3, 2, 5, 5)),
                               stride=[3, 3], padding=[2, 2])
    assert Z.shape == X.shape

    # Seed 002: Conv2d(3, 8, 3, stride=2, padding=1) maps 5×5 and 6×6 to 3×3;
    # ConvTranspose2d(8, 3, 3, stride=2, padding=1) gives 5×5, with output_padding=1 6×6.
    rng = generator("seed002")  # the name its random data were first drawn under
    W = values(rng, (8, 3, 3, 3))
    out = pytorch_conv("pytorch_docs_conv2d_5x5", values(rng, (1, 3, 5, 5)), W, stride=[2, 2], padding=[1, 1])
    assert out.shape == (1, 8, 3, 3)
    out = pytorch_conv("pytorch_docs_conv2d_6x6", values(rng, (1, 3, 6, 6)), W, stride=[2, 2], padding=[1, 1])
    assert out.shape == (1, 8, 3, 3)
    feature = values(rng, (1, 8, 3, 3))
    D = values(rng, (8, 3, 3, 3))
    out = pytorch_conv_transpose("pytorch_docs_conv_transpose2d_5x5", feature, D, stride=[2, 2], padding=[1, 1])
    assert out.shape == (1, 3, 5, 5)
    out = pytorch_conv_transpose("pytorch_docs_conv_transpose2d_output_padding_6x6", feature, D,
                                 stride=[2, 2], padding=[1, 1], output_padding=[1, 1])
    assert out.shape == (1, 3, 6, 6)

    # Seed 003: TensorFlow SAME/VALID with all-ones inputs and 2×2 all-ones kernels.
    ones_kernel = np.ones((2, 2, 1, 1))
    expected_conv = {
        ("4x4", "SAME", 1): [[4, 4, 4, 2], [4, 4, 4, 2], [4, 4, 4, 2], [2, 2, 2, 1]],
        ("4x4", "VALID", 1): [[4, 4, 4], [4, 4, 4], [4, 4, 4]],
        ("4x4", "SAME", 2): [[4, 4], [4, 4]],
        ("4x4", "VALID", 2): [[4, 4], [4, 4]],
        ("5x5", "SAME", 2): [[4, 4, 2], [4, 4, 2], [2, 2, 1]],
        ("5x5", "VALID", 2): [[4, 4], [4, 4]],
    }
    for (size, padding, stride), hand in expected_conv.items():
        n = int(size[0])
        out = tf_conv(f"tf_docs_conv_{size}_{padding.lower()}_stride{stride}", np.ones((1, n, n, 1)),
                      ones_kernel, stride=[stride, stride], padding=padding)
        assert out[0, :, :, 0].tolist() == hand, (size, padding, stride)
    # Transposes of a 2×2 all-ones input: the seed's four, and the 3×3 / 5×5
    # outputs it says are also accepted.
    expected_transpose = {
        ("SAME", 1, 2): [[1, 2], [2, 4]],
        ("VALID", 1, 3): [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
        ("SAME", 2, 4): [[1] * 4] * 4,
        ("VALID", 2, 4): [[1] * 4] * 4,
        ("SAME", 2, 3): [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
        ("VALID", 2, 5): [[1, 1, 1, 1, 0]] * 4 + [[0] * 5],
    }
    for (padding, stride, size), hand in expected_transpose.items():
        out = tf_conv_transpose(f"tf_docs_transpose_2x2_to_{size}x{size}_{padding.lower()}_stride{stride}",
                                np.ones((1, 2, 2, 1)), ones_kernel, [1, size, size, 1],
                                stride=[stride, stride], padding=padding)
        assert out[0, :, :, 0].tolist() == hand, (padding, stride, size, out[0, :, :, 0].tolist())


def pytorch_cases():
    def r(name):
        return generator(name)

    g = r("pt_conv1d_basic")
    pytorch_conv("pt_conv1d_basic", values(g, (1, 2, 9)), values(g, (3, 2, 3)))
    g = r("pt_conv1d_stride_padding_dilation_batch2")
    pytorch_conv("pt_conv1d_stride_padding_dilation_batch2", values(g, (2, 2, 11)), values(g, (2, 2, 3)),
                 stride=[2], padding=[2], dilation=[2])
    g = r("pt_conv1d_groups")
    pytorch_conv("pt_conv1d_groups", values(g, (1, 4, 8)), values(g, (6, 2, 2)), groups=2)
    g = r("pt_conv1d_same_even_kernel")
    pytorch_conv("pt_conv1d_same_even_kernel", values(g, (1, 2, 7)), values(g, (2, 2, 4)), padding="same")
    g = r("pt_conv2d_basic")
    pytorch_conv("pt_conv2d_basic", values(g, (1, 2, 5, 5)), values(g, (3, 2, 3, 3)))
    g = r("pt_conv2d_mixed_stride_dilation_batch2")
    pytorch_conv("pt_conv2d_mixed_stride_dilation_batch2", values(g, (2, 2, 7, 6)), values(g, (2, 2, 3, 2)),
                 stride=[2, 1], padding=[1, 0], dilation=[2, 1])
    g = r("pt_conv2d_depthwise")
    pytorch_conv("pt_conv2d_depthwise", values(g, (1, 3, 5, 4)), values(g, (6, 1, 3, 3)), padding=[1, 1], groups=3)
    g = r("pt_conv2d_groups2_stride2_padding1")
    pytorch_conv("pt_conv2d_groups2_stride2_padding1", values(g, (2, 4, 6, 5)), values(g, (4, 2, 3, 3)),
                 stride=[2, 2], padding=[1, 1], groups=2)
    g = r("pt_conv2d_same_dilated_even_kernel")
    pytorch_conv("pt_conv2d_same_dilated_even_kernel", values(g, (1, 2, 6, 7)), values(g, (2, 2, 4, 3)),
                 padding="same", dilation=[1, 2])
    g = r("pt_conv2d_valid_stride3")
    pytorch_conv("pt_conv2d_valid_stride3", values(g, (1, 1, 8, 7)), values(g, (2, 1, 3, 2)),
                 stride=[3, 3], padding="valid")
    g = r("pt_conv2d_dilation_exceeds_stride")
    pytorch_conv("pt_conv2d_dilation_exceeds_stride", values(g, (1, 1, 9, 9)), values(g, (1, 1, 3, 3)),
                 stride=[2, 2], padding=[3, 2], dilation=[3, 3])
    g = r("pt_conv3d_basic")
    pytorch_conv("pt_conv3d_basic", values(g, (1, 2, 4, 4, 4)), values(g, (2, 2, 2, 3, 2)),
                 stride=[1, 2, 1], padding=[1, 0, 1])
    g = r("pt_conv3d_groups_dilation")
    pytorch_conv("pt_conv3d_groups_dilation", values(g, (1, 2, 5, 5, 5)), values(g, (4, 1, 2, 2, 2)),
                 dilation=[2, 2, 2], groups=2)
    g = r("pt_conv3d_same_batch2")
    pytorch_conv("pt_conv3d_same_batch2", values(g, (2, 1, 3, 4, 3)), values(g, (2, 1, 2, 3, 2)), padding="same")

    g = r("pt_conv_transpose1d_stride2_output_padding")
    pytorch_conv_transpose("pt_conv_transpose1d_stride2_output_padding", values(g, (1, 2, 4)), values(g, (2, 3, 3)),
                           stride=[2], padding=[1], output_padding=[1])
    g = r("pt_conv_transpose1d_groups_dilation")
    pytorch_conv_transpose("pt_conv_transpose1d_groups_dilation", values(g, (2, 4, 5)), values(g, (4, 1, 3)),
                           stride=[2], dilation=[2], groups=2)
    g = r("pt_conv_transpose1d_output_padding_3_dilation_4")
    pytorch_conv_transpose("pt_conv_transpose1d_output_padding_3_dilation_4", values(g, (1, 1, 4)),
                           values(g, (1, 2, 2)), stride=[2], dilation=[4], output_padding=[3])
    g = r("pt_conv_transpose2d_basic")
    pytorch_conv_transpose("pt_conv_transpose2d_basic", values(g, (1, 2, 3, 3)), values(g, (2, 3, 3, 3)))
    g = r("pt_conv_transpose2d_mixed_stride_output_padding_batch2")
    pytorch_conv_transpose("pt_conv_transpose2d_mixed_stride_output_padding_batch2", values(g, (2, 2, 3, 4)),
                           values(g, (2, 2, 3, 4)), stride=[2, 3], padding=[1, 0], output_padding=[1, 2])
    g = r("pt_conv_transpose2d_groups")
    pytorch_conv_transpose("pt_conv_transpose2d_groups", values(g, (1, 4, 3, 3)), values(g, (4, 3, 2, 2)),
                           stride=[2, 2], groups=2)
    g = r("pt_conv_transpose2d_output_padding_2_stride_1_dilation_3")
    pytorch_conv_transpose("pt_conv_transpose2d_output_padding_2_stride_1_dilation_3", values(g, (1, 1, 3, 3)),
                           values(g, (1, 1, 2, 2)), dilation=[3, 3], output_padding=[2, 1])
    g = r("pt_conv_transpose2d_padding_dilation_stride")
    pytorch_conv_transpose("pt_conv_transpose2d_padding_dilation_stride", values(g, (1, 2, 4, 3)),
                           values(g, (2, 1, 3, 3)), stride=[2, 2], padding=[2, 1], dilation=[2, 2],
                           output_padding=[1, 0])
    g = r("pt_conv_transpose3d_stride2_padding1_output_padding1")
    pytorch_conv_transpose("pt_conv_transpose3d_stride2_padding1_output_padding1", values(g, (1, 2, 2, 3, 2)),
                           values(g, (2, 1, 3, 3, 3)), stride=[2, 2, 2], padding=[1, 1, 1],
                           output_padding=[1, 0, 1])
    g = r("pt_conv_transpose3d_groups_dilation_batch2")
    pytorch_conv_transpose("pt_conv_transpose3d_groups_dilation_batch2", values(g, (2, 2, 2, 2, 3)),
                           values(g, (2, 1, 2, 2, 2)), dilation=[2, 1, 2], groups=2)

    g = r("pt_input_grad1d_stride2_unreached_tail")
    pytorch_input_grad("pt_input_grad1d_stride2_unreached_tail", (1, 2, 10), values(g, (1, 3, 4)),
                       values(g, (3, 2, 3)), stride=[3], padding=[1])
    g = r("pt_input_grad2d_groups_dilation_batch2")
    pytorch_input_grad("pt_input_grad2d_groups_dilation_batch2", (2, 4, 7, 6), values(g, (2, 2, 3, 6)),
                       values(g, (2, 2, 3, 2)), stride=[1, 1], padding=[0, 1], dilation=[2, 2], groups=2)
    g = r("pt_input_grad2d_stride2_padding1")
    pytorch_input_grad("pt_input_grad2d_stride2_padding1", (1, 3, 6, 6), values(g, (1, 2, 3, 3)),
                       values(g, (2, 3, 3, 3)), stride=[2, 2], padding=[1, 1])
    g = r("pt_input_grad3d")
    pytorch_input_grad("pt_input_grad3d", (1, 1, 4, 5, 4), values(g, (1, 2, 2, 3, 2)),
                       values(g, (2, 1, 2, 3, 2)), stride=[2, 2, 2], padding=[0, 1, 0])


def tensorflow_cases():
    def r(name):
        return generator(name)

    g = r("tf_conv1d_same_stride2")
    tf_conv("tf_conv1d_same_stride2", values(g, (1, 8, 2)), values(g, (3, 2, 3)), stride=[2], padding="SAME")
    g = r("tf_conv1d_valid_dilation2")
    tf_conv("tf_conv1d_valid_dilation2", values(g, (2, 9, 1)), values(g, (3, 1, 2)), padding="VALID", dilation=[2])
    g = r("tf_conv2d_same_stride2_odd_padding_batch2")
    tf_conv("tf_conv2d_same_stride2_odd_padding_batch2", values(g, (2, 6, 5, 2)), values(g, (4, 3, 2, 3)),
            stride=[2, 2], padding="SAME")
    g = r("tf_conv2d_valid_mixed_stride")
    tf_conv("tf_conv2d_valid_mixed_stride", values(g, (1, 7, 6, 3)), values(g, (3, 2, 3, 2)),
            stride=[2, 3], padding="VALID")
    g = r("tf_conv2d_same_dilation2")
    tf_conv("tf_conv2d_same_dilation2", values(g, (1, 6, 6, 2)), values(g, (3, 2, 2, 2)),
            padding="SAME", dilation=[2, 2])
    g = r("tf_conv3d_same_stride2")
    tf_conv("tf_conv3d_same_stride2", values(g, (1, 5, 4, 3, 2)), values(g, (2, 3, 2, 2, 2)),
            stride=[2, 2, 2], padding="SAME")
    g = r("tf_conv3d_valid")
    tf_conv("tf_conv3d_valid", values(g, (1, 4, 4, 4, 1)), values(g, (2, 2, 3, 1, 2)), padding="VALID")

    tf_conv3d_same_kernel_below_stride()

    g = r("tf_conv1d_transpose_same_odd_output")
    tf_conv_transpose("tf_conv1d_transpose_same_odd_output", values(g, (1, 4, 2)), values(g, (3, 3, 2)),
                      [1, 7, 3], stride=[2], padding="SAME")
    g = r("tf_conv2d_transpose_valid_mixed_stride_batch2")
    tf_conv_transpose("tf_conv2d_transpose_valid_mixed_stride_batch2", values(g, (2, 3, 2, 2)),
                      values(g, (3, 2, 3, 2)), [2, 8, 7, 3], stride=[2, 3], padding="VALID")
    g = r("tf_conv2d_transpose_same_stride2")
    tf_conv_transpose("tf_conv2d_transpose_same_stride2", values(g, (1, 3, 3, 2)), values(g, (3, 3, 1, 2)),
                      [1, 6, 5, 1], stride=[2, 2], padding="SAME")
    g = r("tf_conv2d_transpose_same_dilation2")
    tf_conv_transpose("tf_conv2d_transpose_same_dilation2", values(g, (1, 5, 5, 2)), values(g, (3, 3, 2, 2)),
                      [1, 5, 5, 2], padding="SAME", dilation=[2, 2])
    g = r("tf_conv3d_transpose_same_stride2")
    tf_conv_transpose("tf_conv3d_transpose_same_stride2", values(g, (1, 2, 2, 2, 2)),
                      values(g, (2, 2, 2, 3, 2)), [1, 4, 3, 4, 3], stride=[2, 2, 2], padding="SAME")
    g = r("tf_conv3d_transpose_valid")
    tf_conv_transpose("tf_conv3d_transpose_valid", values(g, (1, 2, 3, 2, 1)), values(g, (2, 2, 2, 1, 1)),
                      [1, 3, 4, 3, 1], padding="VALID")

    g = r("tf_input_grad1d_valid_stride2")
    tf_input_grad("tf_input_grad1d_valid_stride2", (1, 9, 2), values(g, (1, 4, 3)), values(g, (3, 2, 3)),
                  stride=[2], padding="VALID")
    g = r("tf_input_grad2d_same_stride2")
    tf_input_grad("tf_input_grad2d_same_stride2", (1, 5, 6, 2), values(g, (1, 3, 3, 2)), values(g, (3, 2, 2, 2)),
                  stride=[2, 2], padding="SAME")
    g = r("tf_input_grad2d_same_dilation2_batch2")
    tf_input_grad("tf_input_grad2d_same_dilation2_batch2", (2, 5, 4, 1), values(g, (2, 5, 4, 2)),
                  values(g, (2, 3, 1, 2)), padding="SAME", dilation=[2, 2])
    g = r("tf_input_grad3d_same")
    tf_input_grad("tf_input_grad3d_same", (1, 3, 4, 3, 1), values(g, (1, 2, 2, 2, 2)),
                  values(g, (2, 2, 2, 1, 2)), stride=[2, 2, 2], padding="SAME")


def tf_conv3d_same_kernel_below_stride():
    """TensorFlow 2.21's CPU Conv3D with SAME reads a kernel that is shorter
    than the stride one position late when (o − 1)·s + k − i ≤ −2: on x = 1…6
    with k = 1, s = 3 tf.nn.conv3d gives [2, 5], while tf.nn.conv1d and
    tf.nn.conv2d give [1, 4] (the documented rule: total padding
    max((o − 1)·s + k − i, 0) = 0) and tf.nn.conv3d_transpose, its gradient,
    places at positions 0 and 3. ConvMatrix follows the documented rule, so
    the expected output of this 3-D case (depth 1, kernel depth 1) is taken
    from tf.nn.conv2d on the same data."""
    name = "tf_conv3d_same_kernel_below_stride_via_conv2d"
    g = generator(name)
    x = values(g, (1, 1, 6, 6, 2))
    w = values(g, (1, 2, 1, 2, 3))
    case = {"op": "conv", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w),
            "stride": [1, 3, 3], "padding": "SAME"}
    out = tf.nn.conv2d(tf.constant(x[:, 0]), tf.constant(w[0]), strides=[1, 3, 3, 1], padding="SAME").numpy()
    fixture(name, case, out[:, np.newaxis])
    conv3d = tf.nn.conv3d(tf.constant(x), tf.constant(w), strides=[1, 1, 3, 3, 1], padding="SAME").numpy()
    if not np.allclose(conv3d, out[:, np.newaxis], rtol=1e-12, atol=1e-12):
        print(f"note: {name}: tf.nn.conv3d still differs from tf.nn.conv2d here "
              f"(largest difference {np.abs(conv3d - out[:, np.newaxis]).max():.3g})")


def ones_transpose_2x2(output_shape, padding):
    """tf.nn.conv2d_transpose of an all-ones 2×2 input by an all-ones 2×2 kernel at stride 2."""
    return tf.nn.conv2d_transpose(tf.ones((1, 2, 2, 1), tf.float64), tf.ones((2, 2, 1, 1), tf.float64),
                                  output_shape, 2, padding)


def refused_cases():
    ones = lambda *shape: tensor(np.ones(shape))  # noqa: E731

    def pt(x, w, **kw):
        return lambda: F.conv2d(t(np.ones(x)), t(np.ones(w)), **kw)

    refused("kernel_larger_than_padded_input",
            {"op": "conv", "input": ones(1, 1, 3, 3), "weight": ones(1, 1, 5, 5), "padding": [0, 0]},
            "kernel[0]", pt((1, 1, 3, 3), (1, 1, 5, 5)))
    refused("kernel_larger_than_padded_input_dilated",
            {"op": "conv", "input": ones(1, 1, 6, 6), "weight": ones(1, 1, 3, 3), "padding": [1, 0],
             "dilation": [1, 3]},
            "kernel[1]", pt((1, 1, 6, 6), (1, 1, 3, 3), padding=[1, 0], dilation=[1, 3]))
    refused("tf_kernel_larger_than_input_valid",
            {"op": "conv", "layout": "tensorflow", "input": ones(1, 3, 3, 1), "weight": ones(4, 4, 1, 1),
             "padding": "VALID"},
            "kernel[0]",
            lambda: tf.nn.conv2d(tf.ones((1, 3, 3, 1), tf.float64), tf.ones((4, 4, 1, 1), tf.float64), 1, "VALID"))
    refused("output_padding_too_large",
            {"op": "conv_transpose", "input": ones(1, 1, 3, 3), "weight": ones(1, 1, 3, 3), "stride": [2, 2],
             "padding": [1, 1], "output_padding": [1, 2]},
            "output_padding[1]",
            lambda: F.conv_transpose2d(t(np.ones((1, 1, 3, 3))), t(np.ones((1, 1, 3, 3))), stride=2, padding=1,
                                       output_padding=[1, 2]))
    refused("output_padding_too_large_for_dilation",
            {"op": "conv_transpose", "input": ones(1, 1, 4), "weight": ones(1, 1, 2), "stride": [1],
             "dilation": [3], "output_padding": [3]},
            "output_padding[0]",
            lambda: F.conv_transpose1d(t(np.ones((1, 1, 4))), t(np.ones((1, 1, 2))), dilation=3, output_padding=3))
    refused("channels_not_divisible_by_groups",
            {"op": "conv", "input": ones(1, 3, 4, 4), "weight": ones(2, 1, 3, 3), "groups": 2},
            "groups", pt((1, 3, 4, 4), (2, 1, 3, 3), groups=2))
    refused("out_channels_not_divisible_by_groups",
            {"op": "conv", "input": ones(1, 4, 4, 4), "weight": ones(3, 2, 3, 3), "groups": 2},
            "groups", pt((1, 4, 4, 4), (3, 2, 3, 3), groups=2))
    refused("transpose_channels_not_divisible_by_groups",
            {"op": "conv_transpose", "input": ones(1, 3, 2, 2), "weight": ones(3, 1, 2, 2), "groups": 2},
            "groups",
            lambda: F.conv_transpose2d(t(np.ones((1, 3, 2, 2))), t(np.ones((3, 1, 2, 2))), groups=2))
    refused("input_data_wrong_length",
            {"op": "conv", "input": {"shape": [1, 1, 3, 3], "data": [1.0] * 8}, "weight": ones(1, 1, 2, 2)},
            "input.data", lambda: torch.tensor([1.0] * 8).reshape(1, 1, 3, 3))
    refused("weight_data_wrong_length",
            {"op": "conv", "input": ones(1, 1, 3, 3), "weight": {"shape": [1, 1, 2, 2], "data": [1.0] * 5}},
            "weight", lambda: torch.tensor([1.0] * 5).reshape(1, 1, 2, 2))
    refused("impossible_output_shape_same",
            {"op": "conv_transpose", "layout": "tensorflow", "input": ones(1, 2, 2, 1), "weight": ones(2, 2, 1, 1),
             "output_shape": [1, 5, 5, 1], "stride": [2, 2], "padding": "SAME"},
            "output_shape",
            lambda: ones_transpose_2x2([1, 5, 5, 1], "SAME"))
    refused("impossible_output_shape_valid",
            {"op": "conv_transpose", "layout": "tensorflow", "input": ones(1, 2, 2, 1), "weight": ones(2, 2, 1, 1),
             "output_shape": [1, 6, 4, 1], "stride": [2, 2], "padding": "VALID"},
            "output_shape",
            lambda: ones_transpose_2x2([1, 6, 4, 1], "VALID"))
    refused("output_shape_channels_mismatch",
            {"op": "conv_transpose", "layout": "tensorflow", "input": ones(1, 2, 2, 1), "weight": ones(2, 2, 1, 1),
             "output_shape": [1, 4, 4, 3], "stride": [2, 2], "padding": "SAME"},
            "output_shape[3]",
            lambda: ones_transpose_2x2([1, 4, 4, 3], "SAME"))
    refused("negative_size_in_shape",
            {"op": "conv", "input": {"shape": [1, 1, -3, 3], "data": []}, "weight": ones(1, 1, 1, 1)},
            "input.shape[2]", lambda: torch.empty((1, 1, -3, 3)))
    refused("negative_stride",
            {"op": "conv", "input": ones(1, 1, 4, 4), "weight": ones(1, 1, 2, 2), "stride": [1, -1]},
            "stride[1]", pt((1, 1, 4, 4), (1, 1, 2, 2), stride=[1, -1]))
    refused("negative_padding",
            {"op": "conv", "input": ones(1, 1, 4, 4), "weight": ones(1, 1, 2, 2), "padding": [-1, 0]},
            "padding[0]", pt((1, 1, 4, 4), (1, 1, 2, 2), padding=[-1, 0]))
    refused("zero_dilation",
            {"op": "conv", "input": ones(1, 1, 4, 4), "weight": ones(1, 1, 2, 2), "dilation": [0, 1]},
            "dilation[0]", pt((1, 1, 4, 4), (1, 1, 2, 2), dilation=[0, 1]))
    refused("channel_mismatch_conv",
            {"op": "conv", "input": ones(1, 3, 4, 4), "weight": ones(4, 2, 3, 3)},
            "weight.shape[1]", pt((1, 3, 4, 4), (4, 2, 3, 3)))
    refused("channel_mismatch_tensorflow_conv",
            {"op": "conv", "layout": "tensorflow", "input": ones(1, 4, 4, 3), "weight": ones(3, 3, 2, 4)},
            "weight.shape[2]",
            lambda: tf.nn.conv2d(tf.ones((1, 4, 4, 3), tf.float64), tf.ones((3, 3, 2, 4), tf.float64), 1, "VALID"))
    refused("channel_mismatch_conv_transpose",
            {"op": "conv_transpose", "input": ones(1, 2, 3, 3), "weight": ones(3, 1, 2, 2)},
            "weight.shape[0]",
            lambda: F.conv_transpose2d(t(np.ones((1, 2, 3, 3))), t(np.ones((3, 1, 2, 2)))))
    refused("channel_mismatch_input_grad",
            {"op": "conv_input_grad", "input": ones(1, 2, 2, 2), "weight": ones(2, 3, 3, 3),
             "input_shape": [1, 2, 4, 4]},
            "input_shape[1]",
            lambda: torch.nn.grad.conv2d_input([1, 2, 4, 4], t(np.ones((2, 3, 3, 3))), t(np.ones((1, 2, 2, 2)))))
    refused("input_grad_spatial_mismatch",
            {"op": "conv_input_grad", "input": ones(1, 1, 3, 2), "weight": ones(1, 1, 3, 3),
             "input_shape": [1, 1, 4, 4]},
            "input.shape[2]",
            lambda: torch.nn.grad.conv2d_input([1, 1, 4, 4], t(np.ones((1, 1, 3, 3))), t(np.ones((1, 1, 3, 2)))))
    refused("pytorch_same_with_stride",
            {"op": "conv", "input": ones(1, 1, 5, 5), "weight": ones(1, 1, 3, 3), "stride": [2, 2],
             "padding": "same"},
            "padding", pt((1, 1, 5, 5), (1, 1, 3, 3), stride=2, padding="same"))
    refused("pytorch_same_for_conv_transpose",
            {"op": "conv_transpose", "input": ones(1, 1, 3, 3), "weight": ones(1, 1, 3, 3), "padding": "same"},
            "padding",
            lambda: F.conv_transpose2d(t(np.ones((1, 1, 3, 3))), t(np.ones((1, 1, 3, 3))), padding="same"))
    refused("malformed_json_truncated", '{"op": "conv", "input": {"shape": [1, 1, 2, 2], "data": [1, 2, 3',
            "not valid JSON", reason="not JSON: no framework reads it")
    refused("malformed_json_nan_literal",
            '{"op": "conv", "input": {"shape": [1, 1, 1, 2], "data": [NaN, 1]}, "weight": '
            '{"shape": [1, 1, 1, 1], "data": [1]}}',
            "not valid JSON", reason="NaN is not a JSON number (RFC 8259); Python writes it only with allow_nan")
    refused("non_finite_input_number",
            '{"op": "conv", "input": {"shape": [1, 1, 1, 2], "data": [1e999, 1]}, "weight": '
            '{"shape": [1, 1, 1, 1], "data": [1]}}',
            "input.data[0]",
            reason="1e999 is valid JSON but overflows Float64; the frameworks would compute with inf, "
                   "the case format refuses it")
    refused("non_finite_weight_number",
            '{"op": "conv", "input": {"shape": [1, 1, 1, 2], "data": [1, 1]}, "weight": '
            '{"shape": [1, 1, 1, 1], "data": [-2e308]}}',
            "weight.data[0]",
            reason="-2e308 is valid JSON but overflows Float64; the case format refuses it")


# ---------------------------------------------------------------- asymmetric and explicit padding, nested data

def pad_amounts(pairs):
    """F.pad's argument for one [before, after] pair per spatial dimension (it lists the last dimension first)."""
    flat = []
    for before, after in reversed(pairs):
        flat += [before, after]
    return flat


def nested(array):
    """A tensor as tensor.tolist() writes it, without "shape"."""
    return {"data": np.asarray(array, dtype=np.float64).tolist()}


def pytorch_conv_pairs(name, x, w, pairs, stride=None, dilation=None, layout_input=None):
    """F.conv{1,2,3}d of F.pad(x, pairs): the case format's [before, after] padding pairs."""
    rank = x.ndim - 2
    case = {"op": "conv", "layout": "pytorch", "input": layout_input or tensor(x), "weight": tensor(w), "padding": pairs}
    kwargs = add_settings(case, stride=stride, dilation=dilation)
    out = torch_op(rank, "conv")(F.pad(t(x), pad_amounts(pairs)), t(w), **kwargs)
    fixture(name, case, out.numpy())


def pytorch_conv_transpose_pairs(name, x, w, pairs, stride=None, dilation=None, output_padding=None):
    """The transpose of the convolution with [before, after] padding: F.conv_transpose{1,2,3}d
    without padding (and with output_padding), then `before` positions cropped at the start and
    `after` at the end of each spatial dimension. Where output_padding is below the stride this
    is checked against autograd of sum(conv(F.pad(z)) * x) with respect to z."""
    rank = x.ndim - 2
    case = {"op": "conv_transpose", "layout": "pytorch", "input": tensor(x), "weight": tensor(w), "padding": pairs}
    kwargs = add_settings(case, stride=stride, dilation=dilation, output_padding=output_padding)
    full = torch_op(rank, "conv_transpose")(t(x), t(w), **kwargs)
    crop = tuple([slice(None), slice(None)] + [slice(b, full.shape[2 + d] - a) for d, (b, a) in enumerate(pairs)])
    out = full[crop]
    strides = stride or [1] * rank
    if all(a < s for a, s in zip(output_padding or [0] * rank, strides)):
        z = torch.zeros(out.shape, dtype=torch.float64, requires_grad=True)
        conv_kwargs = {key: value for key, value in kwargs.items() if key != "output_padding"}
        (torch_op(rank, "conv")(F.pad(z, pad_amounts(pairs)), t(w), **conv_kwargs) * t(x)).sum().backward()
        assert torch.allclose(out, z.grad, rtol=1e-13, atol=1e-13), name
    fixture(name, case, out.numpy())


def pytorch_input_grad_pairs(name, input_shape, g, w, pairs, stride=None, dilation=None):
    """Gradient of sum(conv(F.pad(x, pairs)) * g) with respect to x, by autograd."""
    rank = g.ndim - 2
    case = {"op": "conv_input_grad", "layout": "pytorch", "input": tensor(g), "weight": tensor(w),
            "input_shape": list(input_shape), "padding": pairs}
    kwargs = add_settings(case, stride=stride, dilation=dilation)
    x = torch.zeros(input_shape, dtype=torch.float64, requires_grad=True)
    (torch_op(rank, "conv")(F.pad(x, pad_amounts(pairs)), t(w), **kwargs) * t(g)).sum().backward()
    fixture(name, case, x.grad.numpy())


def tf_explicit(pairs):
    """TensorFlow's explicit padding list for a 4-D NHWC tensor: zero pairs for batch and channels."""
    return [[0, 0]] + [list(pair) for pair in pairs] + [[0, 0]]


def tf_conv2d_explicit(name, x, w, pairs, stride=None, dilation=None):
    """tf.nn.conv2d with padding=[[0, 0], [top, bottom], [left, right], [0, 0]]."""
    case = {"op": "conv", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w), "padding": tf_explicit(pairs)}
    add_settings(case, stride=stride, dilation=dilation)
    out = tf.nn.conv2d(tf.constant(x, tf.float64), tf.constant(w, tf.float64), strides=stride or [1, 1],
                       padding=tf_explicit(pairs), dilations=dilation or [1, 1]).numpy()
    fixture(name, case, out)


def tf_conv2d_transpose_explicit(name, x, w, output_shape, pairs, stride=None):
    """tf.nn.conv2d_transpose with an explicit padding list."""
    case = {"op": "conv_transpose", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w),
            "output_shape": list(output_shape), "padding": tf_explicit(pairs)}
    add_settings(case, stride=stride)
    out = tf.nn.conv2d_transpose(tf.constant(x, tf.float64), tf.constant(w, tf.float64), list(output_shape),
                                 strides=stride or [1, 1], padding=tf_explicit(pairs)).numpy()
    fixture(name, case, out)


def tf_input_grad2d_explicit(name, input_shape, g, w, pairs, stride=None):
    """tf.compat.v1.nn.conv2d_backprop_input with explicit padding, checked against tf.GradientTape."""
    case = {"op": "conv_input_grad", "layout": "tensorflow", "input": tensor(g), "weight": tensor(w),
            "input_shape": list(input_shape), "padding": tf_explicit(pairs)}
    add_settings(case, stride=stride)
    strides = stride or [1, 1]
    x = tf.zeros(input_shape, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv2d(x, tf.constant(w, tf.float64), strides=strides, padding=tf_explicit(pairs))
        loss = tf.reduce_sum(y * tf.constant(g, tf.float64))
    out = tape.gradient(loss, x).numpy()
    direct = tf.compat.v1.nn.conv2d_backprop_input(
        list(input_shape), tf.constant(w, tf.float64), tf.constant(g, tf.float64),
        strides=[1] + list(strides) + [1], padding=tf_explicit(pairs)).numpy()
    assert np.allclose(out, direct, rtol=1e-13, atol=1e-13), name
    fixture(name, case, out)


def padding_and_layout_cases():
    def r(name):
        return generator(name)

    g = r("pt_conv2d_padding_pairs_f_pad")
    pytorch_conv_pairs("pt_conv2d_padding_pairs_f_pad", values(g, (1, 2, 5, 4)), values(g, (3, 2, 3, 3)),
                       [[0, 1], [2, 0]], stride=[2, 1])
    g = r("pt_conv1d_padding_pairs_dilation")
    pytorch_conv_pairs("pt_conv1d_padding_pairs_dilation", values(g, (2, 1, 7)), values(g, (2, 1, 3)),
                       [[3, 1]], dilation=[2])
    g = r("pt_conv3d_padding_pairs")
    pytorch_conv_pairs("pt_conv3d_padding_pairs", values(g, (1, 1, 3, 4, 3)), values(g, (2, 1, 2, 2, 2)),
                       [[1, 0], [0, 1], [1, 1]], stride=[1, 2, 1])
    g = r("pt_conv_transpose2d_padding_pairs")
    pytorch_conv_transpose_pairs("pt_conv_transpose2d_padding_pairs", values(g, (1, 2, 3, 3)),
                                 values(g, (2, 2, 3, 3)), [[0, 1], [1, 0]], stride=[2, 2])
    g = r("pt_conv_transpose1d_padding_pairs_output_padding_past_stride")
    pytorch_conv_transpose_pairs("pt_conv_transpose1d_padding_pairs_output_padding_past_stride",
                                 values(g, (1, 1, 4)), values(g, (1, 1, 3)), [[2, 1]], dilation=[3],
                                 output_padding=[2])
    g = r("pt_input_grad2d_padding_pairs")
    pytorch_input_grad_pairs("pt_input_grad2d_padding_pairs", (1, 2, 6, 5), values(g, (1, 2, 3, 3)),
                             values(g, (2, 2, 3, 2)), [[1, 0], [0, 1]], stride=[2, 2])
    # The d2l example written as tensor.tolist() gives it: nested data, no shape.
    X = np.array([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 1, 2, 2)
    case = {"op": "conv_transpose", "layout": "pytorch", "input": nested(X), "weight": nested(X)}
    out = F.conv_transpose2d(t(X), t(X)).numpy()
    assert out.reshape(3, 3).tolist() == [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
    fixture("d2l_scatter_stride1_nested_tolist", case, out)
    g = r("pt_conv2d_nested_data_with_shape")
    x, w = values(g, (2, 2, 4, 3)), values(g, (1, 2, 2, 2))
    case = {"op": "conv", "layout": "pytorch", "input": {"shape": list(x.shape), "data": x.tolist()}, "weight": nested(w)}
    fixture("pt_conv2d_nested_data_with_shape", case, F.conv2d(t(x), t(w)).numpy())

    g = r("tf_conv2d_explicit_padding")
    tf_conv2d_explicit("tf_conv2d_explicit_padding", values(g, (1, 5, 4, 2)), values(g, (3, 2, 2, 3)),
                       [[1, 0], [0, 2]], stride=[2, 1])
    g = r("tf_conv2d_explicit_padding_dilation")
    tf_conv2d_explicit("tf_conv2d_explicit_padding_dilation", values(g, (1, 6, 6, 1)), values(g, (3, 3, 1, 2)),
                       [[2, 1], [1, 2]], dilation=[2, 2])
    g = r("tf_conv2d_transpose_explicit_padding")
    tf_conv2d_transpose_explicit("tf_conv2d_transpose_explicit_padding", values(g, (1, 3, 2, 2)),
                                 values(g, (3, 3, 1, 2)), [1, 6, 4, 1], [[1, 0], [1, 1]], stride=[2, 2])
    g = r("tf_input_grad2d_explicit_padding")
    tf_input_grad2d_explicit("tf_input_grad2d_explicit_padding", (1, 5, 5, 2), values(g, (1, 3, 2, 1)),
                             values(g, (3, 3, 2, 1)), [[1, 1], [0, 1]], stride=[2, 3])


def refused_layout_cases():
    ones = lambda *shape: tensor(np.ones(shape))  # noqa: E731
    refused("nested_data_ragged",
            {"op": "conv", "input": {"data": [[[[1.0, 2.0], [3.0]]]]}, "weight": nested(np.ones((1, 1, 1, 1)))},
            "input.data[0][0][1]", lambda: torch.tensor([[[[1.0, 2.0], [3.0]]]]))
    refused("nested_data_against_shape",
            {"op": "conv", "input": {"shape": [1, 1, 2, 2], "data": [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]]},
             "weight": ones(1, 1, 1, 1)},
            "input.data[0][0][0]", lambda: torch.tensor([[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]]).reshape(1, 1, 2, 2))
    refused("tf_explicit_padding_batch_pair",
            {"op": "conv", "layout": "tensorflow", "input": ones(1, 3, 3, 1), "weight": ones(2, 2, 1, 1),
             "padding": [[1, 0], [0, 1], [0, 1], [0, 0]]},
            "padding[0]",
            lambda: tf.nn.conv2d(tf.ones((1, 3, 3, 1), tf.float64), tf.ones((2, 2, 1, 1), tf.float64), 1,
                                 [[1, 0], [0, 1], [0, 1], [0, 0]]))
    refused("tf_explicit_padding_channel_pair",
            {"op": "conv", "layout": "tensorflow", "input": ones(1, 3, 3, 1), "weight": ones(2, 2, 1, 1),
             "padding": [[0, 0], [0, 1], [0, 1], [0, 2]]},
            "padding[3]",
            lambda: tf.nn.conv2d(tf.ones((1, 3, 3, 1), tf.float64), tf.ones((2, 2, 1, 1), tf.float64), 1,
                                 [[0, 0], [0, 1], [0, 1], [0, 2]]))
    refused("tf_explicit_padding_output_shape",
            {"op": "conv_transpose", "layout": "tensorflow", "input": ones(1, 3, 3, 1), "weight": ones(3, 3, 1, 1),
             "output_shape": [1, 7, 5, 1], "stride": [2, 2], "padding": [[0, 0], [1, 1], [1, 1], [0, 0]]},
            "output_shape[1]",
            lambda: tf.nn.conv2d_transpose(tf.ones((1, 3, 3, 1), tf.float64), tf.ones((3, 3, 1, 1), tf.float64),
                                           [1, 7, 5, 1], 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))


# ---------------------------------------------------------------- padding_mode (PyTorch)

def torch_layer(rank, w, stride, padding, dilation, groups, mode):
    """torch.nn.Conv{1,2,3}d with padding_mode, its weight set to w, no bias."""
    w = t(w)
    groups = groups or 1
    layer = [torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d][rank - 1](
        w.shape[1] * groups, w.shape[0], tuple(w.shape[2:]), stride=stride or 1, padding=padding if padding is not None else 0,
        dilation=dilation or 1, groups=groups, bias=False, padding_mode=mode, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w)
    return layer


def padded_then_conv(rank, x, w, pairs, mode, stride, dilation, groups):
    """F.pad(x, pairs, mode) followed by the convolution with no padding: what the layer does."""
    kwargs = {key: value for key, value in {"stride": stride, "dilation": dilation, "groups": groups}.items() if value is not None}
    return torch_op(rank, "conv")(F.pad(x, pad_amounts(pairs), mode=mode), t(w), **kwargs)


def pytorch_mode_conv(name, x, w, mode, padding, stride=None, dilation=None, groups=None):
    """A conv case with padding_mode: symmetric padding (or "same") through torch.nn.Conv{1,2,3}d(padding_mode=…),
    checked against F.pad(mode=…) then F.conv; [before, after] pairs through F.pad alone, as the case format defines them."""
    rank = x.ndim - 2
    case = {"op": "conv", "layout": "pytorch", "input": tensor(x), "weight": tensor(w), "padding": padding, "padding_mode": mode}
    add_settings(case, stride=stride, dilation=dilation, groups=groups)
    pairs = padding if padding != "same" and any(isinstance(p, list) for p in padding) else None
    if pairs is None:
        out = torch_layer(rank, w, stride, padding, dilation, groups, mode)(t(x)).detach()
        if padding != "same":
            again = padded_then_conv(rank, t(x), w, [[p, p] for p in padding], mode, stride, dilation, groups)
            assert torch.equal(out, again), name
    else:
        out = padded_then_conv(rank, t(x), w, pairs, mode, stride, dilation, groups)
    fixture(name, case, out.numpy())


def pytorch_mode_input_grad(name, input_shape, g, w, mode, padding, stride=None, dilation=None, groups=None):
    """The gradient of sum(conv(x) * g) with respect to x for a convolution with padding_mode, by autograd
    through torch.nn.Conv{1,2,3}d(padding_mode=…) (symmetric or "same") or F.pad(mode=…) ([before, after] pairs)."""
    rank = g.ndim - 2
    case = {"op": "conv_input_grad", "layout": "pytorch", "input": tensor(g), "weight": tensor(w),
            "input_shape": list(input_shape), "padding": padding, "padding_mode": mode}
    add_settings(case, stride=stride, dilation=dilation, groups=groups)
    x = torch.zeros(input_shape, dtype=torch.float64, requires_grad=True)
    if padding != "same" and any(isinstance(p, list) for p in padding):
        out = padded_then_conv(rank, x, w, padding, mode, stride, dilation, groups)
    else:
        out = torch_layer(rank, w, stride, padding, dilation, groups, mode)(x)
    assert tuple(out.shape) == tuple(g.shape), name
    (out * t(g)).sum().backward()
    fixture(name, case, x.grad.numpy())


def padding_mode_cases():
    """Fixtures of every padding_mode: forward and input gradient in 1-D, 2-D and 3-D with asymmetric sizes,
    stride, dilation, groups, [before, after] pairs and "same", and the largest padding each mode allows."""
    for mode in ("reflect", "replicate", "circular"):
        def r(name):
            return generator(name)
        n = f"pt_mode_{mode}_conv1d_batch2"
        g = r(n)
        pytorch_mode_conv(n, values(g, (2, 3, 7)), values(g, (4, 3, 3)), mode, [2])
        n = f"pt_mode_{mode}_conv1d_pairs_stride2_dilation2"
        g = r(n)
        pytorch_mode_conv(n, values(g, (1, 2, 9)), values(g, (3, 2, 3)), mode, [[3, 1]], stride=[2], dilation=[2])
        n = f"pt_mode_{mode}_conv1d_largest_padding"
        g = r(n)
        largest = 2 if mode == "reflect" else 3
        pytorch_mode_conv(n, values(g, (1, 1, 3)), values(g, (2, 1, 4)), mode, [largest])
        n = f"pt_mode_{mode}_conv2d_groups_stride_dilation"
        g = r(n)
        pytorch_mode_conv(n, values(g, (1, 4, 5, 6)), values(g, (6, 2, 3, 2)), mode, [1, 2],
                          stride=[2, 1], dilation=[1, 2], groups=2)
        n = f"pt_mode_{mode}_conv2d_pairs_depthwise"
        g = r(n)
        pytorch_mode_conv(n, values(g, (2, 3, 4, 5)), values(g, (3, 1, 3, 3)), mode, [[2, 0], [1, 3]], groups=3)
        n = f"pt_mode_{mode}_conv2d_same_even_kernel"
        g = r(n)
        pytorch_mode_conv(n, values(g, (1, 2, 6, 5)), values(g, (3, 2, 4, 2)), mode, "same", dilation=[1, 2])
        n = f"pt_mode_{mode}_conv3d_groups"
        g = r(n)
        pytorch_mode_conv(n, values(g, (1, 2, 3, 4, 5)), values(g, (4, 1, 2, 3, 2)), mode, [1, 2, 1],
                          stride=[1, 2, 1], groups=2)
        n = f"pt_mode_{mode}_input_grad1d_stride2"
        g = r(n)
        pytorch_mode_input_grad(n, [2, 2, 8], values(g, (2, 3, 5)), values(g, (3, 2, 3)), mode, [2], stride=[2])
        n = f"pt_mode_{mode}_input_grad1d_pairs_dilation3"
        g = r(n)
        pytorch_mode_input_grad(n, [1, 1, 5], values(g, (1, 2, 3)), values(g, (2, 1, 3)), mode, [[4, 0]], dilation=[3])
        n = f"pt_mode_{mode}_input_grad2d_groups_dilation"
        g = r(n)
        pytorch_mode_input_grad(n, [1, 4, 5, 4], values(g, (1, 2, 5, 2)), values(g, (2, 2, 2, 3)), mode, [1, 1],
                                stride=[1, 2], dilation=[2, 1], groups=2)
        # "same" is a conv-only word in the case format: its split (odd position at the end) as pairs.
        n = f"pt_mode_{mode}_input_grad2d_pairs_of_same"
        g = r(n)
        pytorch_mode_input_grad(n, [1, 2, 4, 5], values(g, (1, 3, 4, 5)), values(g, (3, 2, 3, 4)), mode, [[1, 1], [1, 2]])
        n = f"pt_mode_{mode}_input_grad3d"
        g = r(n)
        pytorch_mode_input_grad(n, [1, 1, 3, 3, 4], values(g, (1, 2, 3, 1, 4)), values(g, (2, 1, 3, 2, 3)), mode,
                                [1, 0, 1], stride=[1, 2, 1])


def padding_mode_refusals():
    ones = lambda *shape: tensor(np.ones(shape))  # noqa: E731
    conv = {"op": "conv", "input": ones(1, 1, 3), "weight": ones(1, 1, 1)}
    refused("pt_mode_reflect_padding_equal_to_input", dict(conv, padding=[3], padding_mode="reflect"), "padding[0]",
            lambda: torch_layer(1, np.ones((1, 1, 1)), None, [3], None, None, "reflect")(torch.ones(1, 1, 3)))
    refused("pt_mode_reflect_pair_after_too_large", dict(conv, padding=[[0, 3]], padding_mode="reflect"), "padding[0]",
            lambda: F.pad(torch.ones(1, 1, 3), (0, 3), mode="reflect"))
    refused("pt_mode_circular_padding_above_input", dict(conv, padding=[4], padding_mode="circular"), "padding[0]",
            lambda: torch_layer(1, np.ones((1, 1, 1)), None, [4], None, None, "circular")(torch.ones(1, 1, 3)))
    refused("pt_mode_reflect_second_dimension",
            {"op": "conv", "input": ones(1, 1, 5, 2), "weight": ones(1, 1, 1, 1), "padding": [1, 2], "padding_mode": "reflect"},
            "padding[1]",
            lambda: torch_layer(2, np.ones((1, 1, 1, 1)), None, [1, 2], None, None, "reflect")(torch.ones(1, 1, 5, 2)))
    refused("pt_mode_reflect_input_grad_too_much_padding",
            {"op": "conv_input_grad", "input": ones(1, 1, 8), "weight": ones(1, 1, 1), "input_shape": [1, 1, 2],
             "padding": [3], "padding_mode": "reflect"},
            "padding[0]",
            lambda: torch_layer(1, np.ones((1, 1, 1)), None, [3], None, None, "reflect")(torch.ones(1, 1, 2)))
    try:
        torch_layer(1, np.ones((1, 1, 1)), None, [1], None, None, "mirror")
        sys.exit("pt_mode_unknown_name: PyTorch accepted padding_mode='mirror'")
    except ValueError as error:
        # PyTorch prints a Python set, whose order changes from run to run: sort it.
        names = sorted(re.findall(r"'(\w+)'", str(error).split("but got")[0]))
        reason = f"ValueError: padding_mode must be one of {names}, but got padding_mode='mirror'"
    refused("pt_mode_unknown_name", dict(conv, padding=[1], padding_mode="mirror"), "padding_mode", reason=reason)
    refused("pt_mode_conv_transpose",
            {"op": "conv_transpose", "input": ones(1, 1, 3), "weight": ones(1, 1, 3), "padding": [1], "padding_mode": "reflect"},
            "padding_mode",
            lambda: torch.nn.ConvTranspose1d(1, 1, 3, padding=1, padding_mode="reflect"))
    refused("pt_mode_tensorflow_layout",
            {"op": "conv", "layout": "tensorflow", "input": ones(1, 3, 1), "weight": ones(1, 1, 1), "padding": "SAME",
             "padding_mode": "reflect"},
            "padding_mode", reason="TensorFlow's convolutions have no padding_mode (tf.pad comes first); the case format takes only zeros there")


def padding_mode_matrices():
    """C of torch.nn.Conv{1,2}d(padding_mode=…) applied to every unit vector; positive whole weights, so no
    sum of taps cancels and every entry is exact."""
    geometries = [
        ("reflect", [5], [3], {"padding": [2]}, 1, 1, 1),
        ("circular", [6], [3], {"padding": [1]}, 1, 1, 1),
        ("circular", [5], [4], {"padding": [2]}, 1, 1, 1),
        ("replicate", [4], [3], {"padding": [3], "stride": [2], "dilation": [2]}, 1, 1, 1),
        ("reflect", [3, 4], [2, 3], {"padding": [1, 2], "stride": [1, 2]}, 2, 2, 1),
        ("circular", [4, 4], [3, 3], {"padding": [1, 1]}, 1, 1, 1),
        ("replicate", [3, 3], [2, 2], {"padding": [2, 1], "dilation": [2, 1]}, 4, 2, 2),
    ]
    matrices = []
    for mode, size, kernel, settings, in_channels, out_channels, groups in geometries:
        rank = len(size)
        name = f"{mode}_{'x'.join(map(str, size))}_k{'x'.join(map(str, kernel))}"
        rng = generator("matrix_" + name + "_" + json.dumps(settings))
        w = rng.integers(1, 10, size=[out_channels, in_channels // groups] + kernel).astype(np.float64)
        layer = torch_layer(rank, w, settings.get("stride"), settings["padding"], settings.get("dilation"), groups, mode)
        columns = in_channels * int(np.prod(size))
        unit = torch.eye(columns, dtype=torch.float64).reshape([columns, in_channels] + size)
        c = layer(unit).detach().reshape(columns, -1).T.numpy()
        fields = {"input": size, "kernel": kernel, "padding_mode": mode, "in_channels": in_channels,
                  "out_channels": out_channels, "groups": groups}
        fields.update(settings)
        matrices.append({"name": name, "fields": fields, "weights": [float(v) for v in w.reshape(-1)],
                         "matrix": [[float(v) for v in row] for row in c]})
    with open(os.path.join(PADDING_MODES, "matrices.json"), "w") as f:
        f.write('{"matrices": [\n' + ",\n".join(json.dumps(m) for m in matrices) + "\n]}\n")
    return len(matrices)


def write_padding_modes():
    """The padding_mode fixtures alone, replacing only their own files."""
    for directory in (CASES, ERRORS):
        for entry in os.listdir(directory):
            if entry.startswith("pt_mode_"):
                os.remove(os.path.join(directory, entry))
    shutil.rmtree(PADDING_MODES, ignore_errors=True)
    os.makedirs(PADDING_MODES)
    padding_mode_cases()
    padding_mode_refusals()
    cases = [n for n in written if not n.startswith("errors/")]
    refusals = [n for n in written if n.startswith("errors/")]
    print(f"wrote {len(cases)} padding_mode cases, {len(refusals)} refused cases and "
          f"{padding_mode_matrices()} matrices (torch {torch.__version__})")


# ---------------------------------------------------------------- the weight gradient and X = unfold

def weight_grad_cases():
    """conv_weight_grad: torch.nn.grad.conv{1,2,3}d_weight checked against autograd of sum(conv(x, w) * g), with
    a padding_mode through torch.nn.Conv*d's own autograd; tf.nn.conv2d_backprop_filter in the tensorflow layout;
    and X = F.unfold(x) (transposed: one row per output position), the matrix of the weights, in weight_matrices/."""
    weight_grad = [torch.nn.grad.conv1d_weight, torch.nn.grad.conv2d_weight, torch.nn.grad.conv3d_weight]

    def pt(name, x_shape, w_shape, mode="zeros", **settings):
        rng = generator(name)
        x = values(rng, x_shape)
        rank = len(x_shape) - 2
        case = {"op": "conv_weight_grad", "layout": "pytorch", "input": tensor(x)}
        kwargs = add_settings(case, **settings)
        if mode != "zeros":
            case["padding_mode"] = mode
        w = torch.zeros(w_shape, dtype=torch.float64, requires_grad=True)
        if mode == "zeros":
            y = torch_op(rank, "conv")(t(x), w, **kwargs)
        else:
            pads = kwargs.pop("padding")
            y = torch_op(rank, "conv")(F.pad(t(x), pad_amounts([[p, p] for p in pads]), mode=mode), w, **kwargs)
        g = values(rng, tuple(y.shape))
        (y * t(g)).sum().backward()
        if mode == "zeros":
            direct = weight_grad[rank - 1](t(x), list(w_shape), t(g), **kwargs)
            assert torch.allclose(direct, w.grad, rtol=1e-12, atol=1e-12), name
        case["grad_output"] = tensor(g)
        case["weight_shape"] = list(w_shape)
        fixture(name, case, w.grad.numpy())

    pt("pt_weight_grad1d_stride2", (2, 2, 9), (3, 2, 3), stride=[2], padding=[1])
    pt("pt_weight_grad2d_groups_dilation", (1, 4, 6, 5), (4, 2, 2, 3), padding=[1, 2], dilation=[2, 1], groups=2)
    pt("pt_weight_grad2d_interleaved_groups", (2, 6, 4, 4), (6, 2, 3, 3), padding=[1, 1], groups=3)
    pt("pt_weight_grad3d", (1, 2, 4, 3, 4), (2, 2, 2, 2, 3), stride=[1, 2, 1], padding=[1, 0, 1])
    pt("pt_weight_grad2d_wide", (1, 1, 3, 12), (2, 1, 2, 3), stride=[1, 1])
    for mode in ("reflect", "replicate", "circular"):
        pt(f"pt_mode_{mode}_weight_grad2d", (1, 2, 5, 4), (3, 2, 3, 2), mode=mode, padding=[2, 1], stride=[1, 2])

    if tf is not None:
        name = "tf_weight_grad2d_backprop_filter_same"
        rng = generator(name)
        x = values(rng, (2, 5, 6, 2))
        y_shape = (2, 3, 3, 3)
        g = values(rng, y_shape)
        out = tf.compat.v1.nn.conv2d_backprop_filter(tf.constant(x), [3, 2, 2, 3], tf.constant(g), strides=[1, 2, 2, 1], padding="SAME")
        fixture(name, {"op": "conv_weight_grad", "layout": "tensorflow", "input": tensor(x), "grad_output": tensor(g),
                       "weight_shape": [3, 2, 2, 3], "stride": [2, 2], "padding": "SAME"}, out.numpy())
        name = "tf_weight_grad1d_valid_dilation"
        rng = generator(name)
        x = values(rng, (1, 9, 2))
        w = tf.Variable(tf.zeros([3, 2, 2], tf.float64))
        with tf.GradientTape() as tape:
            y = tf.nn.convolution(tf.constant(x), w, padding="VALID", dilations=[2])
            g = values(rng, tuple(y.shape))
            loss = tf.reduce_sum(y * tf.constant(g))
        fixture(name, {"op": "conv_weight_grad", "layout": "tensorflow", "input": tensor(x), "grad_output": tensor(g),
                       "weight_shape": [3, 2, 2], "dilation": [2], "padding": "VALID"}, tape.gradient(loss, w).numpy())

    refused("pt_weight_grad_with_weight",
            {"op": "conv_weight_grad", "input": tensor(np.ones((1, 1, 3))), "weight": tensor(np.ones((1, 1, 2))),
             "grad_output": tensor(np.ones((1, 1, 2))), "weight_shape": [1, 1, 2]},
            "weight", reason="the weight is what conv_weight_grad computes; its shape is weight_shape")
    refused("pt_weight_grad_grad_output_shape",
            {"op": "conv_weight_grad", "input": tensor(np.ones((1, 1, 5))), "grad_output": tensor(np.ones((1, 1, 3))),
             "weight_shape": [1, 1, 2]},
            "grad_output.shape",
            lambda: torch.nn.grad.conv1d_weight(torch.ones(1, 1, 5), [1, 1, 2], torch.ones(1, 1, 3)))

    # X, the matrix of the weights, as F.unfold writes it: [C·k, L] per sample; X's block for one output
    # channel is its transpose [L, C·k] (groups 1).
    os.makedirs(WEIGHT_MATRICES, exist_ok=True)
    count = 0
    for name, x_shape, kernel, kwargs in [
        ("unfold2d_stride_padding_dilation", (1, 2, 5, 6), (2, 3), {"stride": (2, 1), "padding": (1, 2), "dilation": (1, 2)}),
        ("unfold2d_plain", (1, 1, 4, 4), (3, 3), {}),
    ]:
        rng = generator(name)
        x = values(rng, x_shape)
        unfolded = F.unfold(t(x), kernel, **kwargs)[0]
        write(WEIGHT_MATRICES, name, {"input": tensor(x), "kernel": list(kernel),
                                      "stride": list(kwargs.get("stride", (1, 1))), "padding": list(kwargs.get("padding", (0, 0))),
                                      "dilation": list(kwargs.get("dilation", (1, 1))), "unfold": tensor(unfolded.numpy())})
        count += 1

    # The whole X of a convolution with several output channels, groups, a batch and copies in the padding
    # (what `convmat matrix --of weights` prints): sample n's block of rows, output channel o's block of
    # columns is F.unfold of o's group of input channels (of F.pad(x, mode) for a padding_mode), transposed.
    for name, x_shape, out_channels, groups, kernel, kwargs, mode in [
        ("x_matrix2d_groups", (1, 4, 4, 5), 4, 2, (2, 3), {"stride": (1, 2), "padding": (1, 0), "dilation": (1, 1)}, "zeros"),
        ("x_matrix2d_reflect_dilation", (1, 2, 5, 5), 3, 1, (2, 2), {"stride": (1, 1), "padding": (2, 1), "dilation": (2, 1)}, "reflect"),
        ("x_matrix2d_circular_batch", (2, 1, 4, 3), 2, 1, (3, 2), {"stride": (2, 1), "padding": (1, 1), "dilation": (1, 1)}, "circular"),
    ]:
        rng = generator(name)
        x = values(rng, x_shape)
        padded, unfold_kwargs = t(x), dict(kwargs)
        if mode != "zeros":
            padded = F.pad(padded, pad_amounts([[p, p] for p in kwargs["padding"]]), mode=mode)
            unfold_kwargs["padding"] = (0, 0)
        per_group_in, per_group_out = x_shape[1] // groups, out_channels // groups
        block_columns = per_group_in * kernel[0] * kernel[1]
        samples = []
        for n in range(x_shape[0]):
            blocks = []
            for o in range(out_channels):
                group = o // per_group_out
                u = F.unfold(padded[n:n + 1, group * per_group_in:(group + 1) * per_group_in], kernel, **unfold_kwargs)[0].T
                block = torch.zeros((u.shape[0], out_channels * block_columns), dtype=torch.float64)
                block[:, o * block_columns:(o + 1) * block_columns] = u
                blocks.append(block)
            samples.append(torch.cat(blocks))
        matrix = torch.cat(samples)
        # X·w is the convolution of every sample, stacked: the fixture holds itself against F.conv2d.
        w = torch.arange(out_channels * block_columns, dtype=torch.float64) % 5 - 2
        y = F.conv2d(padded, w.reshape(out_channels, per_group_in, *kernel), groups=groups, **unfold_kwargs)
        assert torch.allclose(matrix @ w, y.reshape(-1), rtol=1e-12, atol=1e-12), name
        write(WEIGHT_MATRICES, name, {"input": tensor(x), "kernel": list(kernel), "stride": list(kwargs["stride"]),
                                      "padding": list(kwargs["padding"]), "dilation": list(kwargs["dilation"]),
                                      "out_channels": out_channels, "groups": groups, "padding_mode": mode, "x_matrix": tensor(matrix.numpy())})
        count += 1

    # X in TensorFlow's layout from TensorFlow's own im2col, tf.image.extract_patches ([N, o…, k…·C_in] patches):
    # rows [N, o…, C_out], columns [k…, C_in, C_out], held against tf.nn.conv2d.
    if tf is not None:
        for name, x_shape, out_channels, kernel, strides, rates, padding in [
            ("x_matrix2d_tensorflow_same", (2, 5, 4, 2), 2, (2, 3), (2, 1), (1, 2), "SAME"),
            ("x_matrix2d_tensorflow_valid", (1, 6, 5, 3), 2, (3, 2), (1, 2), (2, 1), "VALID"),
        ]:
            rng = generator(name)
            x = values(rng, x_shape)
            patches = tf.image.extract_patches(tf.constant(x), sizes=[1, *kernel, 1], strides=[1, *strides, 1], rates=[1, *rates, 1],
                                               padding=padding).numpy()
            samples, oh, ow, depth = patches.shape
            matrix = np.zeros((samples * oh * ow * out_channels, depth * out_channels))
            for n in range(samples):
                for i in range(oh):
                    for j in range(ow):
                        for o in range(out_channels):
                            matrix[((n * oh + i) * ow + j) * out_channels + o, o::out_channels] = patches[n, i, j, :]
            w = (np.arange(depth * out_channels) % 5 - 2).astype(np.float64)
            y = tf.nn.conv2d(tf.constant(x), tf.constant(w.reshape(*kernel, x_shape[3], out_channels)), strides=[1, *strides, 1],
                             padding=padding, dilations=[1, *rates, 1]).numpy()
            assert np.allclose(matrix @ w, y.reshape(-1), rtol=1e-12, atol=1e-12), name
            write(WEIGHT_MATRICES, name, {"layout": "tensorflow", "input": tensor(x), "kernel": list(kernel), "stride": list(strides),
                                          "padding": padding, "dilation": list(rates), "out_channels": out_channels,
                                          "x_matrix": tensor(matrix)})
            count += 1
    return count


def write_weight_grad():
    """The conv_weight_grad fixtures alone (cases/*weight_grad*, errors/pt_weight_grad_*, weight_matrices/)."""
    for directory in (CASES, ERRORS):
        for entry in os.listdir(directory):
            if "weight_grad" in entry and (tf is not None or not entry.startswith("tf_")):
                os.remove(os.path.join(directory, entry))
    shutil.rmtree(WEIGHT_MATRICES, ignore_errors=True)
    matrices = weight_grad_cases()
    print(f"wrote {len(written)} conv_weight_grad fixtures and {matrices} unfold matrices (torch {torch.__version__}"
          + (f", tensorflow {tf.__version__})" if tf is not None else "; no tensorflow)"))


# ---------------------------------------------------------------- bias

def bias_cases():
    """conv and conv_transpose with a bias: PyTorch's bias= (F.conv*d, F.conv_transpose*d, torch.nn.Conv*d with a
    padding_mode), TensorFlow's tf.nn.bias_add after the op; and the refusals of a bias that cannot exist."""
    def pt(name, kind, x_shape, w_shape, b_count, **settings):
        rng = generator(name)
        x, w, b = values(rng, x_shape), values(rng, w_shape), values(rng, (b_count,))
        rank = len(x_shape) - 2
        case = {"op": kind, "layout": "pytorch", "input": tensor(x), "weight": tensor(w), "bias": tensor(b)}
        kwargs = add_settings(case, **settings)
        out = torch_op(rank, kind)(t(x), t(w), t(b), **kwargs)
        without = torch_op(rank, kind)(t(x), t(w), **kwargs)
        assert torch.allclose(out - without, t(b).reshape([1, -1] + [1] * rank).expand_as(out), atol=1e-12), name
        fixture(name, case, out.numpy())

    pt("pt_bias_conv1d", "conv", (2, 2, 7), (3, 2, 3), 3, stride=[2], padding=[1])
    pt("pt_bias_conv2d_groups", "conv", (1, 4, 5, 6), (6, 2, 2, 3), 6, padding=[1, 0], dilation=[1, 2], groups=2)
    pt("pt_bias_conv2d_same", "conv", (1, 2, 5, 4), (2, 2, 2, 3), 2, padding="same")
    pt("pt_bias_conv3d", "conv", (1, 1, 3, 4, 3), (2, 1, 2, 2, 2), 2, stride=[1, 2, 1])
    pt("pt_bias_conv_transpose1d", "conv_transpose", (1, 2, 4), (2, 3, 3), 3, stride=[2], padding=[1], output_padding=[1])
    pt("pt_bias_conv_transpose2d_groups", "conv_transpose", (2, 4, 3, 2), (4, 1, 2, 3), 2,
       stride=[2, 1], dilation=[1, 2], groups=2)
    pt("pt_bias_conv_transpose3d", "conv_transpose", (1, 2, 2, 2, 2), (2, 1, 2, 1, 2), 1, stride=[2, 1, 1])

    # A padding_mode with a bias: torch.nn.Conv2d(padding_mode="reflect", bias=True).
    name = "pt_bias_mode_reflect_conv2d"
    rng = generator(name)
    x, w, b = values(rng, (1, 2, 5, 4)), values(rng, (3, 2, 3, 2)), values(rng, (3,))
    layer = torch.nn.Conv2d(2, 3, (3, 2), padding=[2, 1], padding_mode="reflect", bias=True)
    with torch.no_grad():
        layer.weight.copy_(t(w))
        layer.bias.copy_(t(b))
    case = {"op": "conv", "layout": "pytorch", "input": tensor(x), "weight": tensor(w), "bias": tensor(b),
            "padding": [2, 1], "padding_mode": "reflect"}
    fixture(name, case, layer(t(x)).detach().numpy())

    if tf is not None:
        name = "tf_bias_add_conv2d_same"
        rng = generator(name)
        x, w, b = values(rng, (1, 5, 4, 2)), values(rng, (3, 2, 2, 3)), values(rng, (3,))
        out = tf.nn.bias_add(tf.nn.convolution(tf.constant(x), tf.constant(w), strides=[2, 1], padding="SAME"), tf.constant(b))
        fixture(name, {"op": "conv", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w), "bias": tensor(b),
                       "stride": [2, 1], "padding": "SAME"}, out.numpy())
        name = "tf_bias_add_conv2d_transpose"
        rng = generator(name)
        x, w, b = values(rng, (2, 3, 2, 3)), values(rng, (2, 3, 2, 3)), values(rng, (2,))
        out = tf.nn.bias_add(tf.nn.conv2d_transpose(tf.constant(x), tf.constant(w), [2, 6, 4, 2], strides=[2, 2], padding="SAME"),
                             tf.constant(b))
        fixture(name, {"op": "conv_transpose", "layout": "tensorflow", "input": tensor(x), "weight": tensor(w),
                       "bias": tensor(b), "stride": [2, 2], "padding": "SAME", "output_shape": [2, 6, 4, 2]}, out.numpy())

    ones = lambda *shape: tensor(np.ones(shape))  # noqa: E731
    refused("pt_bias_wrong_length", {"op": "conv", "input": ones(1, 2, 4), "weight": ones(3, 2, 2), "bias": ones(2)}, "bias.shape",
            lambda: F.conv1d(torch.ones(1, 2, 4), torch.ones(3, 2, 2), torch.ones(2)))
    refused("pt_bias_conv_transpose_wrong_length",
            {"op": "conv_transpose", "input": ones(1, 2, 4), "weight": ones(2, 3, 2), "bias": ones(2)}, "bias.shape",
            lambda: F.conv_transpose1d(torch.ones(1, 2, 4), torch.ones(2, 3, 2), torch.ones(2)))
    refused("pt_bias_on_input_grad",
            {"op": "conv_input_grad", "input": ones(1, 1, 3), "weight": ones(1, 1, 2), "bias": ones(1), "input_shape": [1, 1, 4]},
            "bias", reason="torch.nn.grad.conv1d_input takes no bias: the gradient of a bias-added conv with respect to x "
                           "does not depend on the bias")


def write_bias():
    """The bias fixtures alone (cases/pt_bias_*, cases/tf_bias_*, errors/pt_bias_*), replacing only their own files."""
    for directory in (CASES, ERRORS):
        for entry in os.listdir(directory):
            if entry.startswith("pt_bias_") or (tf is not None and entry.startswith("tf_bias_")):
                os.remove(os.path.join(directory, entry))
    bias_cases()
    print(f"wrote {len(written)} bias fixtures (torch {torch.__version__}"
          + (f", tensorflow {tf.__version__})" if tf is not None else "; no tensorflow: the tf_bias_ cases kept as they were)"))


# ---------------------------------------------------------------- which output sizes each framework accepts

def refusal_text(error):
    text = re.sub(r"\{\{[^}]*\}\}\s*", "", str(error)).strip()
    return text.splitlines()[0] if text else type(error).__name__


def write_verdicts(rule, verdicts):
    """One verdict per line, so that a change shows as a small diff."""
    path = os.path.join(SIZES, rule + ".json")
    with open(path, "w") as f:
        f.write('{"rule": ' + json.dumps(rule) + ', "verdicts": [\n')
        f.write(",\n".join(json.dumps(v) for v in verdicts))
        f.write("\n]}\n")
    written.append("output_sizes/" + rule)
    return len(verdicts)


def small_geometries():
    """1-D ConvTranspose settings: input 1–4, kernel 1–3, stride 1–3, dilation 1–3, padding 0–1."""
    for i in range(1, 5):
        for k in range(1, 4):
            for s in range(1, 4):
                for d in range(1, 4):
                    for p in range(0, 2):
                        yield i, k, s, d, p


def pytorch_size_verdicts():
    """nn.ConvTranspose1d(...)(x, output_size=[o]) for o around the valid range, and
    F.conv_transpose1d(..., output_padding=a) for a up to max(stride, dilation)."""
    by_size, by_padding = [], []
    for i, k, s, d, p in small_geometries():
        module = torch.nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
        x = torch.ones(1, 1, i)
        natural = (i - 1) * s - 2 * p + d * (k - 1) + 1
        for o in range(max(natural - 1, 1), natural + max(s, d) + 1):
            verdict = {"input": i, "kernel": k, "stride": s, "dilation": d, "padding": p, "output_size": o}
            try:
                with torch.no_grad():
                    out = module(x, output_size=[o])
                verdict.update(accepted=True, output=out.shape[-1])
            except Exception as error:
                # PyTorch's message, e.g. "requested an output size of [8], but valid sizes range
                # from [7] to [7] (for an input of torch.Size([3]))", kept as the range it quotes.
                match = re.search(r"valid sizes range from \[(-?\d+)\] to \[(-?\d+)\]", refusal_text(error))
                verdict.update(accepted=False, valid=[int(match[1]), int(match[2])] if match else refusal_text(error))
            by_size.append(verdict)
        for a in range(0, max(s, d) + 1):
            verdict = {"input": i, "kernel": k, "stride": s, "dilation": d, "padding": p, "output_padding": a}
            try:
                out = F.conv_transpose1d(x, torch.ones(1, 1, k), stride=s, padding=p, output_padding=a, dilation=d)
                verdict.update(accepted=True, output=out.shape[-1])
            except Exception as error:
                # "output padding must be smaller than either stride or dilation" or
                # "Calculated output size per channel: (1 x -1). Output size is too small".
                text = refusal_text(error)
                reason = ("output_padding" if "output padding must be smaller" in text
                          else "size" if "Output size is too small" in text else text)
                verdict.update(accepted=False, refused_for=reason)
            by_padding.append(verdict)
    # The 2-D example of PyTorch's ConvTranspose2d documentation, with the whole message PyTorch prints.
    module = torch.nn.ConvTranspose2d(8, 3, 3, stride=2, padding=1, bias=False)
    for o in ([5, 5], [6, 6], [5, 6], [6, 7], [7, 5], [4, 6]):
        verdict = {"input": [3, 3], "kernel": 3, "stride": 2, "dilation": 1, "padding": 1, "output_size": o}
        try:
            with torch.no_grad():
                out = module(torch.ones(1, 8, 3, 3), output_size=o)
            verdict.update(accepted=True, output=list(out.shape[2:]))
        except Exception as error:
            verdict.update(accepted=False, refused_by=f"{type(error).__name__}: {refusal_text(error)}")
        by_size.append(verdict)
    return write_verdicts("pytorch_output_size", by_size) + write_verdicts("pytorch_output_padding", by_padding)


def tensorflow_size_verdicts():
    """TensorFlow's output_shape under SAME and VALID. With dilation 1 tf.nn.conv1d_transpose
    itself accepts or refuses; TensorFlow's CPU kernels refuse a dilated transpose outright, so
    with dilation 2–3 (at stride 1, the only stride tf.nn.convolution dilates at) the verdict
    is its definition computed by TensorFlow: the forward tf.nn.convolution of that size gives
    the input back."""
    verdicts = []
    for padding in ("SAME", "VALID"):
        for i in range(1, 4):
            for k in range(1, 4):
                for s, d in [(1, 1), (2, 1), (3, 1), (1, 2), (1, 3)]:
                    span = d * (k - 1) + 1
                    for o in range(1, (i + 1) * s + span + 2):
                        verdict = {"padding": padding, "input": i, "kernel": k, "stride": s, "dilation": d,
                                   "output_shape": o}
                        if d == 1:
                            try:
                                out = tf.nn.conv1d_transpose(tf.ones((1, i, 1), tf.float64), tf.ones((k, 1, 1), tf.float64),
                                                             [1, o, 1], s, padding)
                                verdict.update(accepted=True, output=int(out.shape[1]))
                            except Exception:
                                verdict.update(accepted=False)
                        else:
                            try:
                                forward = tf.nn.convolution(tf.zeros((1, o, 1), tf.float64), tf.ones((k, 1, 1), tf.float64),
                                                            strides=s, padding=padding, dilations=d)
                                gives = int(forward.shape[1])
                            except Exception:
                                gives = 0
                            verdict.update(accepted=gives == i, forward_gives=gives)
                        verdicts.append(verdict)
    return write_verdicts("tensorflow_output_shape", verdicts)


# ---------------------------------------------------------------- pooling (Dumoulin & Visin's pooling arithmetic)

def pooling_size_verdicts():
    """F.max_pool1d and F.avg_pool1d: the output size or the refusal, for small 1-D layers."""
    verdicts = []
    for kind, op in (("max", F.max_pool1d), ("avg", F.avg_pool1d)):
        for i in range(1, 8):
            for k in range(1, 5):
                for s in range(1, 4):
                    for p in range(0, 3):
                        for ceil in (False, True):
                            verdict = {"pool": kind, "input": i, "kernel": k, "stride": s, "padding": p, "ceil_mode": ceil}
                            try:
                                out = op(torch.zeros(1, 1, i), k, stride=s, padding=p, ceil_mode=ceil)
                                verdict.update(accepted=True, output=int(out.shape[-1]))
                            except Exception as error:
                                verdict.update(accepted=False, refused_by=refusal_text(error))
                            verdicts.append(verdict)
    with open(os.path.join(POOLING, "output_sizes.json"), "w") as f:
        f.write('{"verdicts": [\n' + ",\n".join(json.dumps(v) for v in verdicts) + "\n]}\n")
    return len(verdicts)


def pooling_matrices():
    """2-D pooling layers as matrices, from PyTorch: A by avg_pool2d of unit vectors; S(x) by
    max_pool2d's indices at x, and S(x)ᵀg by autograd."""
    layers = [
        {"name": "avg_2x2_stride2", "input": [4, 4], "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0], "ceil_mode": False},
        {"name": "avg_3x3_stride2_padding1", "input": [5, 5], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil_mode": False},
        {"name": "avg_2x2_ceil_mode", "input": [5, 5], "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0], "ceil_mode": True},
        {"name": "avg_3x2_ceil_padding", "input": [4, 5], "kernel": [3, 2], "stride": [2, 2], "padding": [1, 1], "ceil_mode": True},
        {"name": "avg_3_stride1_padding1", "input": [1, 6], "kernel": [1, 3], "stride": [1, 1], "padding": [0, 1], "ceil_mode": False},
    ]
    matrices = []
    for layer in layers:
        h, w = layer["input"]
        columns = []
        for j in range(h * w):
            e = torch.zeros(1, 1, h * w)
            e[0, 0, j] = 1
            out = F.avg_pool2d(e.reshape(1, 1, h, w), layer["kernel"], stride=layer["stride"],
                               padding=layer["padding"], ceil_mode=layer["ceil_mode"])
            columns.append(out.reshape(-1).tolist())
        matrix = np.array(columns).T
        matrices.append(dict(layer, pool="avg", output=list(out.shape[2:]), matrix=matrix.tolist()))
    for name, size, kernel, stride, padding, ceil in [
        ("max_2x2_stride2", [4, 4], [2, 2], [2, 2], [0, 0], False),
        ("max_3x3_stride2_padding1", [5, 5], [3, 3], [2, 2], [1, 1], False),
        ("max_2x2_ceil_mode", [5, 5], [2, 2], [2, 2], [0, 0], True),
        ("max_3x3_stride1_overlapping", [4, 4], [3, 3], [1, 1], [0, 0], False),
    ]:
        rng = generator("pooling_" + name)
        # Small integers, so windows hold ties (PyTorch keeps the first maximum in row-major order).
        x = rng.integers(-3, 4, size=size).astype(np.float64)
        xt = torch.tensor(x.reshape(1, 1, *size), requires_grad=True)
        out, indices = F.max_pool2d(xt, kernel, stride=stride, padding=padding, ceil_mode=ceil, return_indices=True)
        g = rng.integers(-3, 4, size=tuple(out.shape[2:])).astype(np.float64)
        (out * torch.tensor(g.reshape(out.shape))).sum().backward()
        matrices.append({"name": name, "pool": "max", "input": size, "kernel": kernel, "stride": stride, "padding": padding,
                         "ceil_mode": ceil, "output": list(out.shape[2:]), "x": x.reshape(-1).tolist(),
                         "indices": indices.reshape(-1).tolist(), "y": out.detach().reshape(-1).tolist(),
                         "g": g.reshape(-1).tolist(), "gradient": xt.grad.reshape(-1).tolist()})
    with open(os.path.join(POOLING, "matrices.json"), "w") as f:
        f.write('{"layers": [\n' + ",\n".join(json.dumps(m) for m in matrices) + "\n]}\n")
    return len(matrices)


def main():
    if sys.argv[1:] == ["--only", "padding-modes"]:
        write_padding_modes()
        return
    if sys.argv[1:] == ["--only", "bias"]:
        write_bias()
        return
    if sys.argv[1:] == ["--only", "weight-grad"]:
        write_weight_grad()
        return
    if sys.argv[1:] or tf is None:
        sys.exit("usage: generate_fixtures.py [--only padding-modes|bias|weight-grad]; the full set needs torch and tensorflow-cpu")
    shutil.rmtree(POOLING, ignore_errors=True)
    os.makedirs(POOLING)
    for directory in (CASES, ERRORS, SIZES):
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
    seed_examples()
    pytorch_cases()
    tensorflow_cases()
    padding_and_layout_cases()
    refused_cases()
    refused_layout_cases()
    shutil.rmtree(PADDING_MODES, ignore_errors=True)
    os.makedirs(PADDING_MODES)
    padding_mode_cases()
    padding_mode_refusals()
    padding_mode_matrices()
    bias_cases()
    weight_grad_cases()
    verdicts = pytorch_size_verdicts() + tensorflow_size_verdicts()
    cases = [n for n in written if not n.startswith(("errors/", "output_sizes/"))]
    refusals = [n for n in written if n.startswith("errors/")]
    print(f"wrote {len(cases)} cases, {len(refusals)} refused cases and {verdicts} size verdicts under {HERE}")
    print(f"wrote {pooling_size_verdicts()} pooling size verdicts and {pooling_matrices()} pooling matrices under {POOLING}")


if __name__ == "__main__":
    main()
