#!/usr/bin/env python3
"""Writes the SciPy fixtures of ConvMatrix's true convolution (`--flip`):

    python3 Tests/Fixtures/generate_scipy_fixtures.py

scipy/convolution_matrix.json  scipy.linalg.convolution_matrix(a, n, mode) for
                    1-D kernels a and lengths n, modes full, same and valid.
scipy/convolve2d.json  the matrix of scipy.signal.convolve2d(X, h, mode) for
                    2-D kernels h and inputs of m×n, modes full, same and
                    valid: column j is convolve2d applied to the j-th unit
                    vector (row-major), flattened row-major.

Kernels have small whole numbers, so every entry is exact. Needs scipy (the
Swift tests read the committed JSON, not SciPy). The output is deterministic.
"""

import json
import os

import numpy as np
import scipy
from scipy.linalg import convolution_matrix
from scipy.signal import convolve2d

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy")


def main():
    os.makedirs(HERE, exist_ok=True)
    one = []
    for a, n in [([1, 2, 3], 5), ([1, -2], 4), ([4, 1, 2, 3], 6), ([2, 5, 7], 3), ([1, 2, 3, 4, 5], 7)]:
        for mode in ("full", "same", "valid"):
            if mode == "valid" and len(a) > n:
                continue
            matrix = convolution_matrix(np.array(a, dtype=np.float64), n, mode)
            one.append({"kernel": a, "n": n, "mode": mode, "matrix": matrix.tolist()})
    two = []
    for h, size in [([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [4, 4]), ([[1, -1, 2], [3, 0, 5]], [3, 4]),
                    ([[2, 1], [3, 4]], [3, 3]), ([[1, 2, 3, 4]], [2, 5])]:
        kernel = np.array(h, dtype=np.float64)
        m, n = size
        for mode in ("full", "same", "valid"):
            if mode == "valid" and (kernel.shape[0] > m or kernel.shape[1] > n):
                continue
            columns = []
            for j in range(m * n):
                unit = np.zeros(m * n)
                unit[j] = 1
                columns.append(convolve2d(unit.reshape(m, n), kernel, mode=mode).reshape(-1))
            two.append({"kernel": h, "input": size, "mode": mode, "matrix": np.array(columns).T.tolist()})
    with open(os.path.join(HERE, "convolution_matrix.json"), "w") as f:
        f.write('{"scipy": ' + json.dumps(scipy.__version__) + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in one) + "\n]}\n")
    with open(os.path.join(HERE, "convolve2d.json"), "w") as f:
        f.write('{"scipy": ' + json.dumps(scipy.__version__) + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in two) + "\n]}\n")
    print(f"wrote {len(one)} convolution_matrix and {len(two)} convolve2d fixtures under {HERE}")


if __name__ == "__main__":
    main()
