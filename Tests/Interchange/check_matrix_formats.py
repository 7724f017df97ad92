#!/usr/bin/env python3
"""Reads the matrix files of `convmat matrix` the way Python users do, and compares them with C.

For each geometry below (1-D, 2-D strided and padded, SAME padding, 3-D, several channels with
groups, dilated, transposed), this runs the built convmat with integer weights in four formats and
reads every file with the ecosystem's own one-liner:

  --format csv --zeros   numpy.loadtxt(f, delimiter=",", ndmin=2)
  --format csv           numpy.genfromtxt(f, delimiter=",", filling_values=0)  (empty cells are zeros)
  --format npy           numpy.load(f)            (and the bytes equal numpy.save's own)
  --format coo-json      scipy.sparse.coo_matrix((d["data"], (d["row"], d["col"])), shape=d["shape"])
  --format mtx           scipy.io.mmread(f)       (and `convmat matrix --check f` says YES; the
                         command in its `% command:` line writes the same file again)

The expected C comes from a plain loop written here, the cross-correlation PyTorch computes:
y[o, p] = sum over c in o's group and taps q of w[o, c, q] * x[c, p*s - pad_before + q*d]; row
(o, p) and column (c, x) are flattened row-major, channel first. A transposed convolution's matrix
is C transposed, C being the matrix of the convolution it transposes. Integer weights make every
comparison exact. Views (--flip, --order column-major, --block) are checked in npy and coo-json. X, the matrix of the
weights (`--of weights` at an integer input of two samples), is checked in csv, npy, coo-json and mtx
against its own plain loop (row (n, o, p), column (o, c, q) holds x[n, c, p*s - pad_before + q*d]),
and X·w against C·x.

Usage: python3 Tests/Interchange/check_matrix_formats.py [path/to/convmat]
Exit status 0 when every check passes; prints the number of checks.
"""
import io
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy
import scipy.io
import scipy.sparse

CONVMAT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "convmat")


class Geometry:
    """A convolution as convmat's flags describe it, and its C by a plain loop."""

    def __init__(self, name, input, kernel, stride=1, padding=0, dilation=1, in_channels=1, out_channels=1, groups=1,
                 transposed=False, output_padding=0, flags=None):
        self.name = name
        rank = len(input)
        spread = lambda v: list(v) if isinstance(v, (list, tuple)) else [v] * rank
        self.kernel, self.stride, self.dilation = spread(kernel), spread(stride), spread(dilation)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.transposed = transposed
        self.flags = flags or []
        if transposed:
            # The transposed convolution's input is C's output; C's input is its output (PyTorch's size rule).
            self.conv_output = list(input)
            pads = spread(padding)
            self.conv_input = [(i - 1) * s - 2 * p + d * (k - 1) + op + 1 for i, s, p, d, k, op in
                               zip(input, self.stride, pads, self.dilation, self.kernel, spread(output_padding))]
            self.before, self.after = pads, pads
            # C's channels: the transposed convolution's in_channels are C's outputs.
            self.c_in, self.c_out = out_channels, in_channels
        else:
            self.conv_input = list(input)
            self.c_in, self.c_out = in_channels, out_channels
            if padding == "same":
                self.before, self.after = [], []
                for i, k, s, d in zip(input, self.kernel, self.stride, self.dilation):
                    total = max((math.ceil(i / s) - 1) * s + d * (k - 1) + 1 - i, 0)
                    self.before.append(total // 2)
                    self.after.append(total - total // 2)
            elif isinstance(padding, str):  # "b:a" per dimension, e.g. "1:0x0:2"
                pairs = [tuple(int(n) for n in part.split(":")) for part in padding.split("x")]
                self.before, self.after = [b for b, _ in pairs], [a for _, a in pairs]
            else:
                self.before = self.after = spread(padding)
            self.conv_output = [(i + b + a - d * (k - 1) - 1) // s + 1 for i, b, a, d, k, s in
                                zip(input, self.before, self.after, self.dilation, self.kernel, self.stride)]
        self.arguments = ["--input", "x".join(map(str, input)), "--kernel", "x".join(map(str, self.kernel)),
                          "--stride", "x".join(map(str, self.stride)), "--dilation", "x".join(map(str, self.dilation)),
                          "--padding", padding if isinstance(padding, str) else "x".join(map(str, spread(padding))),
                          "--in-channels", str(in_channels), "--out-channels", str(out_channels), "--groups", str(groups)]
        if transposed:
            self.arguments += ["--transposed", "--output-padding", "x".join(map(str, spread(output_padding)))]
        self.weight_shape = [self.c_out, self.c_in // groups] + self.kernel

    def matrix(self, w):
        """C (or, transposed, Cᵀ) of weights w, shaped weight_shape, by the definition."""
        rows = self.c_out * math.prod(self.conv_output)
        columns = self.c_in * math.prod(self.conv_input)
        c = numpy.zeros((rows, columns))
        per_group_in, per_group_out = self.c_in // self.groups, self.c_out // self.groups
        row = 0
        for o in range(self.c_out):
            group = o // per_group_out
            for p in itertools.product(*map(range, self.conv_output)):
                for local in range(per_group_in):
                    channel = group * per_group_in + local
                    for q in itertools.product(*map(range, self.kernel)):
                        x = [pj * s - b + qj * d for pj, s, b, qj, d in zip(p, self.stride, self.before, q, self.dilation)]
                        if all(0 <= xj < i for xj, i in zip(x, self.conv_input)):
                            column = channel * math.prod(self.conv_input) + numpy.ravel_multi_index(x, self.conv_input)
                            c[row, column] += w[(o, local) + q]
                row += 1
        return c.T if self.transposed else c

    def weight_matrix(self, x):
        """X of input x (shaped [samples, c_in] + conv_input), y = X·w, by the definition: row (n, o, p) and column
        (o, local, q) hold x[n, channel, p*s - pad_before + q*d], channel = group*(c_in/groups) + local; zero elsewhere."""
        per_group_in, per_group_out = self.c_in // self.groups, self.c_out // self.groups
        taps = list(itertools.product(*map(range, self.kernel)))
        x_matrix = numpy.zeros((x.shape[0] * self.c_out * math.prod(self.conv_output), self.c_out * per_group_in * len(taps)))
        row = 0
        for n in range(x.shape[0]):
            for o in range(self.c_out):
                group = o // per_group_out
                for p in itertools.product(*map(range, self.conv_output)):
                    for local in range(per_group_in):
                        for t, q in enumerate(taps):
                            position = [pj * s - b + qj * d for pj, s, b, qj, d in zip(p, self.stride, self.before, q, self.dilation)]
                            if all(0 <= xj < i for xj, i in zip(position, self.conv_input)):
                                x_matrix[row, (o * per_group_in + local) * len(taps) + t] = x[(n, group * per_group_in + local) + tuple(position)]
                    row += 1
        return x_matrix

    def spaces(self):
        """(channels, spatial size) of the printed rows and columns."""
        outputs, inputs = (self.c_out, self.conv_output), (self.c_in, self.conv_input)
        return (inputs, outputs) if self.transposed else (outputs, inputs)


GEOMETRIES = [
    Geometry("1-D, padded", input=[7], kernel=[3], padding=1),
    Geometry("2-D, strided and padded", input=[5, 6], kernel=[3, 2], stride=[2, 1], padding=[1, 0]),
    Geometry("2-D, padding before:after", input=[4, 5], kernel=[2, 3], stride=[1, 2], padding="1:0x0:2"),
    Geometry("2-D, SAME", input=[5, 4], kernel=3, stride=2, padding="same"),
    Geometry("3-D", input=[3, 4, 3], kernel=2, padding=[0, 1, 0]),
    Geometry("2-D, 4 -> 6 channels, groups 2", input=[4, 4], kernel=[2, 3], in_channels=4, out_channels=6, groups=2, padding=1),
    Geometry("1-D, dilated and strided, 2 -> 3 channels", input=[11], kernel=[3], dilation=2, stride=2, in_channels=2, out_channels=3),
    Geometry("2-D, transposed, stride 2, output padding 1, 2 -> 3 channels", input=[3, 3], kernel=3, stride=2, padding=1,
             in_channels=2, out_channels=3, transposed=True, output_padding=1),
    Geometry("1-D, transposed, dilated, groups 2", input=[4], kernel=[2], stride=3, dilation=2, in_channels=4, out_channels=2,
             groups=2, transposed=True),
]

checks = 0
failures = []


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def convmat(arguments, binary=False):
    result = subprocess.run([CONVMAT, "matrix"] + arguments, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(f"convmat matrix {' '.join(arguments)} failed ({result.returncode}): {result.stderr.decode()}")
    return result.stdout if binary else result.stdout.decode()


def view(c, g, flip, column_major, block, w_flipped):
    """What --flip, --order column-major and --block O,I print, from C by index arithmetic."""
    (row_channels, row_size), (column_channels, column_size) = g.spaces()
    matrix = g.matrix(w_flipped) if flip else c

    def order(channels, size):
        # Printed position -> C's index: channels slowest, then positions, first index fastest when column-major.
        indices = []
        for channel in range(channels):
            positions = list(itertools.product(*map(range, size)))
            if column_major:
                positions.sort(key=lambda p: tuple(reversed(p)))
            indices += [channel * math.prod(size) + numpy.ravel_multi_index(p, size) for p in positions]
        return numpy.array(indices)

    rows, columns = order(row_channels, row_size), order(column_channels, column_size)
    if block is not None:
        rows = rows.reshape(row_channels, -1)[block[0]]
        columns = columns.reshape(column_channels, -1)[block[1]]
    return matrix[numpy.ix_(rows, columns)]


def main():
    generator = random.Random(16)
    with tempfile.TemporaryDirectory() as folder:
        for g in GEOMETRIES:
            w = numpy.array([generator.randint(-4, 4) for _ in range(math.prod(g.weight_shape))], dtype=float).reshape(g.weight_shape)
            text = ",".join(str(int(v)) for v in w.ravel())
            base = g.arguments + ["--weights", text]
            c = g.matrix(w)
            name = g.name

            dense = numpy.loadtxt(io.StringIO(convmat(base + ["--format", "csv", "--zeros"])), delimiter=",", ndmin=2)
            check(dense.shape == c.shape and (dense == c).all(), f"{name}: csv --zeros read by numpy.loadtxt")
            empty = numpy.genfromtxt(io.StringIO(convmat(base + ["--format", "csv"])), delimiter=",", filling_values=0, ndmin=2)
            check(empty.shape == c.shape and (empty == c).all(), f"{name}: csv (empty cells) read by numpy.genfromtxt")

            path = os.path.join(folder, "c.npy")
            convmat(base + ["--format", "npy", "--output", path])
            loaded = numpy.load(path)
            check(loaded.dtype == numpy.float64 and loaded.shape == c.shape and (loaded == c).all(), f"{name}: npy read by numpy.load")
            saved = io.BytesIO()
            numpy.save(saved, numpy.ascontiguousarray(c))  # row-major, as the file is (c.T alone would be saved Fortran-ordered)
            check(open(path, "rb").read() == saved.getvalue(), f"{name}: npy file is byte for byte numpy.save's")
            check(convmat(base + ["--format", "npy"], binary=True) == saved.getvalue(), f"{name}: npy on standard output")

            d = json.loads(convmat(base + ["--format", "coo-json"]))
            coo = scipy.sparse.coo_matrix((d["data"], (d["row"], d["col"])), shape=d["shape"])
            check(tuple(d["shape"]) == c.shape and (coo.toarray() == c).all(), f"{name}: coo-json read by scipy.sparse.coo_matrix")
            geometry = d["geometry"]
            (in_size, out_size) = (g.conv_output, g.conv_input) if g.transposed else (g.conv_input, g.conv_output)
            check(geometry["input"] == in_size and geometry["output"] == out_size and geometry["kernel"] == g.kernel
                  and geometry["stride"] == g.stride and geometry["dilation"] == g.dilation
                  and geometry["padding_before"] == g.before and geometry["padding_after"] == g.after
                  and geometry["groups"] == g.groups and geometry["weight_shape"] == g.weight_shape
                  and geometry["operation"] == ("transposed convolution" if g.transposed else "convolution")
                  and d["weights"] == list(w.ravel()), f"{name}: coo-json geometry and weights")

            mtx = convmat(base + ["--format", "mtx"])
            path = os.path.join(folder, "c.mtx")
            with open(path, "w") as f:
                f.write(mtx)
            m = scipy.io.mmread(path)
            check(m.shape == c.shape and (m.toarray() == c).all(), f"{name}: mtx read by scipy.io.mmread")
            verdict = subprocess.run([CONVMAT, "matrix"] + base + ["--check", path], capture_output=True, text=True)
            check(verdict.returncode == 0 and verdict.stdout.startswith("YES"), f"{name}: convmat matrix --check reads the mtx comments: {verdict.stdout}{verdict.stderr}")
            comments = [line for line in mtx.splitlines() if line.startswith("%")]
            command = next(line for line in comments if line.startswith("% command: ")).removeprefix("% command: convmat matrix ").split()
            check(convmat(command) == mtx, f"{name}: the mtx file's % command line writes it again")
            check(any(line == f"% weights: {text} (shape {'x'.join(map(str, g.weight_shape))}, PyTorch order [out_channels, in_channels/groups, kernel...])"
                      for line in comments), f"{name}: the mtx file's % weights line")
            check(all(len(line) <= 1024 and line.isascii() for line in mtx.splitlines()), f"{name}: mtx lines are ASCII, at most 1024 characters")

            # Views, in npy and coo-json: the flipped kernel, MATLAB's column-major order, one channel block.
            w_flipped = w[(slice(None), slice(None)) + (slice(None, None, -1),) * len(g.kernel)]
            (row_channels, _), (column_channels, _) = g.spaces()
            block = (row_channels - 1, column_channels - 1) if row_channels > 1 or column_channels > 1 else None
            for flip, column_major, use_block in [(True, False, False), (False, True, False), (True, True, block is not None), (False, False, block is not None)]:
                if not (flip or column_major or use_block):
                    continue
                flags = (["--flip"] if flip else []) + (["--order", "column-major"] if column_major else []) \
                    + (["--block", f"{block[0]},{block[1]}"] if use_block else [])
                expected = view(c, g, flip, column_major, block if use_block else None, w_flipped)
                path = os.path.join(folder, "v.npy")
                convmat(base + flags + ["--format", "npy", "--output", path])
                loaded = numpy.load(path)
                check(loaded.shape == expected.shape and (loaded == expected).all(), f"{name} {' '.join(flags)}: npy")
                d = json.loads(convmat(base + flags + ["--format", "coo-json"]))
                coo = scipy.sparse.coo_matrix((d["data"], (d["row"], d["col"])), shape=d["shape"])
                check(tuple(d["shape"]) == expected.shape and (coo.toarray() == expected).all(), f"{name} {' '.join(flags)}: coo-json")
                dense = numpy.loadtxt(io.StringIO(convmat(base + flags + ["--format", "csv", "--zeros"])), delimiter=",", ndmin=2)
                check(dense.shape == expected.shape and (dense == expected).all(), f"{name} {' '.join(flags)}: csv --zeros")

        # X, the matrix of the weights (--of weights), at an integer input of two samples, in the same formats.
        for g in GEOMETRIES:
            if g.transposed:
                continue
            x = numpy.array([generator.randint(-4, 4) for _ in range(2 * g.c_in * math.prod(g.conv_input))], dtype=float)
            x = x.reshape([2, g.c_in] + g.conv_input)
            base = g.arguments + ["--of", "weights", "--values", ",".join(str(int(v)) for v in x.ravel())]
            expected = g.weight_matrix(x)
            name = f"{g.name}, X"
            dense = numpy.loadtxt(io.StringIO(convmat(base + ["--format", "csv", "--zeros"])), delimiter=",", ndmin=2)
            check(dense.shape == expected.shape and (dense == expected).all(), f"{name}: csv --zeros read by numpy.loadtxt")
            path = os.path.join(folder, "x.npy")
            convmat(base + ["--format", "npy", "--output", path])
            saved = io.BytesIO()
            numpy.save(saved, expected)
            check(open(path, "rb").read() == saved.getvalue(), f"{name}: npy file is byte for byte numpy.save's")
            d = json.loads(convmat(base + ["--format", "coo-json"]))
            coo = scipy.sparse.coo_matrix((d["data"], (d["row"], d["col"])), shape=d["shape"])
            check(d["matrix"] == "X" and d["input_shape"] == [2, g.c_in] + g.conv_input and d["input"] == list(x.ravel())
                  and (coo.toarray() == expected).all(), f"{name}: coo-json read by scipy.sparse.coo_matrix")
            mtx = convmat(base + ["--format", "mtx"])
            path = os.path.join(folder, "x.mtx")
            with open(path, "w") as f:
                f.write(mtx)
            m = scipy.io.mmread(path)
            check(m.shape == expected.shape and (m.toarray() == expected).all() and m.nnz == numpy.count_nonzero(g.weight_matrix(numpy.ones_like(x))),
                  f"{name}: mtx read by scipy.io.mmread, one entry per tap that reads the input")
            command = next(line for line in mtx.splitlines() if line.startswith("% command: ")).removeprefix("% command: convmat matrix ").split()
            check(convmat(command) == mtx, f"{name}: the mtx file's % command line writes it again")
            # In TensorFlow's layout (no groups there): rows [N, o..., C_out], columns [k..., C_in, C_out], --values NHWC.
            if g.groups == 1:
                rank = len(g.conv_input)
                nhwc = numpy.moveaxis(x, 1, -1)
                flags = g.arguments + ["--of", "weights", "--layout", "tensorflow", "--values", ",".join(str(int(v)) for v in nhwc.ravel())]
                loaded_tf = numpy.loadtxt(io.StringIO(convmat(flags + ["--format", "csv", "--zeros"])), delimiter=",", ndmin=2)
                rows = numpy.arange(expected.shape[0]).reshape([2, g.c_out] + g.conv_output)
                rows = numpy.moveaxis(rows, 1, -1).ravel()
                columns = numpy.arange(expected.shape[1]).reshape([g.c_out, g.c_in] + g.kernel)
                columns = numpy.transpose(columns, list(range(2, 2 + rank)) + [1, 0]).ravel()  # [k..., C_in, C_out]
                check((loaded_tf == expected[numpy.ix_(rows, columns)]).all(), f"{name}: --layout tensorflow is X with rows [N, o..., C_out] and columns [k..., C_in, C_out]")
            # X·w is the convolution: with C's weights w, X·w stacks C·x of both samples.
            w = numpy.array([generator.randint(-4, 4) for _ in range(math.prod(g.weight_shape))], dtype=float)
            c = g.matrix(w.reshape(g.weight_shape))
            check((expected @ w == numpy.concatenate([c @ x[n].ravel() for n in range(2)])).all(), f"{name}: X·w = C·x for each sample")

    print(f"check_matrix_formats.py: {checks - len(failures)} of {checks} checks passed "
          f"({len(GEOMETRIES)} geometries; csv, npy, coo-json and mtx read by numpy {numpy.__version__} and SciPy {scipy.__version__})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
