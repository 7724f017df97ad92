#!/usr/bin/env python3
"""Is the default `convmat cases` set strong enough? Plants realistic bugs in the numpy reference of
check_cases_numpy.py and requires each to be caught, and counts what the set covers.

    python3 Tests/Downstream/check_planted_bugs.py PYTORCH_DIR TENSORFLOW_DIR

The folders hold the default set, `convmat cases --random 2000 --seed S --layout L` (`make test` runs
this on seed 1). The script checks, and exits 1 when any check fails:

- the correct numpy reference agrees with every case (within "tolerance" where a case has one), and
  the largest |numpy - expected| / tolerance over the real-valued cases, which says how much room the
  bound leaves a correct Float64 implementation that sums in another order (numpy's einsum);
- each planted bug fails at least one case of each layout it applies to (the counts are printed):
  the bugs a user reported the default set missed (interleaved groups, an output written in one
  fixed 8-wide tile, float32 and float16 accumulation, PyTorch "same" with the odd zero first) and
  a few classics (a flipped kernel, the strides of two axes swapped, output_padding on the front);
- the coverage: every operation, bias, every padding_mode, groups with 2 or more channels per group,
  an output wider than 8, both dyadic and real-valued (tolerance) data, each at least once per
  layout where the layout has it, and PyTorch "same" in at least 5 % of the pytorch set.
"""
import importlib.util
import json
import pathlib
import sys

import numpy as np

_spec = importlib.util.spec_from_file_location("reference", pathlib.Path(__file__).with_name("check_cases_numpy.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)
CONV, PAIRS, COMPUTE = ref.conv, ref._pairs, ref.compute


def interleaved_groups(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
    """Group g reads input channels g, g + groups, ... instead of its contiguous block."""
    if groups > 1:
        channels = x.shape[1]
        x = x[:, [g + groups * i for g in range(groups) for i in range(channels // groups)]]
    return CONV(x, w, stride, dilation, pairs, groups, output, mode)


def tile_of_8(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
    """The output is written in one tile of 8 along the last axis: positions from 8 on are never written."""
    y = CONV(x, w, stride, dilation, pairs, groups, output, mode).copy()
    y[..., 8:] = 0
    return y


class _NumpyAccumulatingIn:
    """numpy, except that np.zeros makes arrays of one dtype: the reference's output, which it sums into."""

    def __init__(self, dtype):
        self.dtype = dtype

    def zeros(self, shape, dtype=None):
        return np.zeros(shape, dtype=self.dtype)

    def __getattr__(self, name):
        return getattr(np, name)


def accumulate(dtype):
    """The inputs rounded to `dtype` and every product and sum made there (the output array is `dtype` too)."""
    def conv(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
        ref.np = _NumpyAccumulatingIn(dtype)
        try:
            return CONV(x.astype(dtype), w.astype(dtype), stride, dilation, pairs, groups, output, mode).astype(np.float64)
        finally:
            ref.np = np
    return conv


def flipped_kernel(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
    """A true convolution instead of the frameworks' cross-correlation: the kernel flipped in every spatial axis."""
    return CONV(x, w[(slice(None), slice(None)) + (slice(None, None, -1),) * (w.ndim - 2)], stride, dilation, pairs, groups, output, mode)


def swapped_strides(x, w, stride, dilation, pairs, groups, output=None, mode="zeros"):
    """The stride list read in reverse (stride_w for the rows and stride_h for the columns)."""
    return CONV(x, w, list(reversed(stride)), dilation, pairs, groups, output, mode)


def same_odd_zero_first(case, spatial_in, kernel, stride, dilation):
    """PyTorch "same" with the odd zero of padding before the data instead of after."""
    pairs = PAIRS(case, spatial_in, kernel, stride, dilation)
    return [(after, before) for before, after in pairs] if case.get("padding") == "same" else pairs


def output_padding_in_front(case):
    """PyTorch conv_transpose whose output_padding adds zeros before the output instead of after it."""
    extra = case.get("output_padding")
    if case["op"] != "conv_transpose" or case.get("layout", "pytorch") != "pytorch" or not extra:
        return COMPUTE(case)
    plain = {k: v for k, v in case.items() if k not in ("output_padding", "bias")}
    y = np.pad(COMPUTE(plain), [(0, 0), (0, 0)] + [(e, 0) for e in extra])
    if "bias" in case:
        y = y + ref.tensor(case["bias"]).reshape([1, -1] + [1] * len(extra))
    return y


BUGS = {
    "interleaved groups": ({"conv": interleaved_groups}, ["pytorch"]),
    "8-wide output tile": ({"conv": tile_of_8}, ["pytorch", "tensorflow"]),
    "float32 accumulation": ({"conv": accumulate(np.float32)}, ["pytorch", "tensorflow"]),
    "float16 accumulation": ({"conv": accumulate(np.float16)}, ["pytorch", "tensorflow"]),
    'PyTorch "same", odd zero first': ({"_pairs": same_odd_zero_first}, ["pytorch"]),
    "flipped kernel": ({"conv": flipped_kernel}, ["pytorch", "tensorflow"]),
    "strides of two axes swapped": ({"conv": swapped_strides}, ["pytorch", "tensorflow"]),
    "output_padding in front": ({"compute": output_padding_in_front}, ["pytorch"]),
}


def failures(cases):
    """How many cases the reference as patched now gets wrong (a crash counts as wrong)."""
    failed = 0
    for case in cases:
        try:
            got = ref.compute(case)
        except Exception:
            failed += 1
            continue
        failed += not ref.agrees(got, case["expected"])
    return failed


def features(case):
    """The features of one case that the coverage table counts."""
    tf = case.get("layout") == "tensorflow"
    op = case["op"]
    found = {"op " + op, "padding_mode " + case.get("padding_mode", "zeros")}
    if "bias" in case:
        found.add("bias")
    rank = len(case["input"]["shape"]) - 2
    if case.get("groups", 1) > 1:
        shape = case["weight_shape"] if op == "conv_weight_grad" else case["weight"]["shape"]
        found.add("groups > 1")
        if shape[1] >= 2:  # [C_out, C_in/groups, k...], and [C_in, C_out/groups, k...] for conv_transpose: C's input per group
            found.add("groups with >= 2 channels per group")
    out = case["grad_output"]["shape"] if op == "conv_weight_grad" else case["expected"]["shape"]
    if max(out[1:-1] if tf else out[2:]) > 8:
        found.add("an output wider than 8")
    if case.get("padding") in ("same", "SAME"):
        found.add("padding " + case["padding"])
    found.add("real data with tolerance" if "tolerance" in case["expected"] else "dyadic data (exact)")
    found.add(f"rank {rank}")
    return found


def main(folders):
    layouts = dict(zip(["pytorch", "tensorflow"], folders))
    sets = {layout: [json.loads(p.read_text()) for p in sorted(pathlib.Path(folder).glob("case-*.json"))] for layout, folder in layouts.items()}
    problems = []

    # The correct reference, and the room the tolerance leaves it.
    for layout, cases in sets.items():
        wrong = failures(cases)
        worst = 0.0
        for case in cases:
            expected = case["expected"]
            if "tolerance" in expected:
                gap = np.abs(ref.compute(case).ravel() - np.array(expected["data"]))
                tolerance = np.array(expected["tolerance"])
                if np.any(tolerance > 0):
                    worst = max(worst, float(np.max(gap[tolerance > 0] / tolerance[tolerance > 0])))
        print(f"{layout}: the correct numpy reference fails {wrong} of {len(cases)} cases; largest |numpy - expected| / tolerance {worst:.3g}")
        if wrong:
            problems.append(f"the correct reference fails {wrong} {layout} cases")

    # The planted bugs.
    print()
    print("| planted bug | " + " | ".join(f"{layout} (of {len(cases)})" for layout, cases in sets.items()) + " |")
    print("|---|" + "---|" * len(sets))
    for name, (patch, applies) in BUGS.items():
        counts = []
        for layout, cases in sets.items():
            for attribute, value in patch.items():
                setattr(ref, attribute, value)
            try:
                count = failures(cases)
            finally:
                ref.conv, ref._pairs, ref.compute = CONV, PAIRS, COMPUTE
            counts.append(str(count) if layout in applies else f"{count} (n/a)")
            if layout in applies and count == 0:
                problems.append(f"{name} is caught by no {layout} case")
        print(f"| {name} | " + " | ".join(counts) + " |")

    # The coverage.
    wanted = ["op conv", "op conv_transpose", "op conv_input_grad", "op conv_weight_grad", "bias", "rank 1", "rank 2", "rank 3",
              "padding_mode zeros", "padding_mode reflect", "padding_mode replicate", "padding_mode circular", "groups > 1",
              "groups with >= 2 channels per group", "an output wider than 8", "padding same", "padding SAME",
              "dyadic data (exact)", "real data with tolerance"]
    pytorch_only = {"padding_mode reflect", "padding_mode replicate", "padding_mode circular", "groups > 1",
                    "groups with >= 2 channels per group", "padding same"}
    counts = {layout: {} for layout in sets}
    for layout, cases in sets.items():
        for case in cases:
            for feature in features(case):
                counts[layout][feature] = counts[layout].get(feature, 0) + 1
    print()
    print("| feature | " + " | ".join(sets) + " |")
    print("|---|" + "---|" * len(sets))
    for feature in wanted:
        cells = []
        for layout, cases in sets.items():
            applies = feature not in pytorch_only if layout == "tensorflow" else feature != "padding SAME"
            n = counts[layout].get(feature, 0)
            cells.append(f"{n} ({100 * n / len(cases):.1f} %)" if applies else "–")
            if applies and n == 0:
                problems.append(f"no {layout} case has {feature}")
        print(f"| {feature} | " + " | ".join(cells) + " |")
    if "pytorch" in sets:
        same = counts["pytorch"].get("padding same", 0)
        if same < 0.05 * len(sets["pytorch"]):
            problems.append(f'PyTorch "same" is in {same} of {len(sets["pytorch"])} pytorch cases, below 5 %')

    print()
    for problem in problems:
        print("FAIL " + problem)
    print("all checks pass" if not problems else f"{len(problems)} checks fail")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
