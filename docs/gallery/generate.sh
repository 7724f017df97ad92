#!/bin/sh
# Regenerates the figures of docs/pictures.md: `make gallery`, or
#   sh docs/gallery/generate.sh path/to/convmat
# Each line below is: file name, then the convmat arguments that draw it.
# Where rsvg-convert is installed every SVG is also converted to PNG (in a
# temporary directory) and any warning fails the run, so a broken figure
# cannot be committed unnoticed.
set -eu
convmat=${1:-.build/debug/convmat}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

draw() {
  name=$1; shift
  "$convmat" "$@" > "$here/$name"
  case $name in
    *.svg)
      if command -v rsvg-convert >/dev/null 2>&1; then
        rsvg-convert "$here/$name" -o "$scratch/${name%.svg}.png" 2> "$scratch/warnings"
        if [ -s "$scratch/warnings" ]; then echo "rsvg-convert warned on $name:"; cat "$scratch/warnings"; exit 1; fi
      fi ;;
  esac
  echo "wrote docs/gallery/$name"
}

# Dive into Deep Learning (d2l): transposed convolution as scattered products.
draw 000-scatter-2x2-k2-s1.svg draw scatter --input 2x2 --kernel 2 --transposed
draw 000-scatter-2x2-k2-s2.svg draw scatter --input 2x2 --kernel 2 --stride 2 --transposed
draw 000-scatter-2x2-k2-s2-animated.svg draw scatter --input 2x2 --kernel 2 --stride 2 --transposed --animate
draw 000-scatter-3x3-k3-s2-p1.svg draw scatter --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed --step 4
draw 000-spy-transposed-2x2-k2.svg draw spy --input 2x2 --kernel 2 --transposed

# Dumoulin & Visin, A guide to convolution arithmetic: C for a 4×4 input and a 3×3 kernel, and the transposed convolutions.
draw 001-sliding-4x4-k3.svg draw sliding --input 4x4 --kernel 3
draw 001-spy-4x4-k3.svg draw spy --input 4x4 --kernel 3
draw 001-spy-transposed-2x2-k3.svg draw spy --input 2x2 --kernel 3 --transposed
draw 001-sliding-5x5-k4-p2.svg draw sliding --input 5x5 --kernel 4 --padding 2 --step 7
draw 001-sliding-5x5-k3-s2-p1.svg draw sliding --input 5x5 --kernel 3 --stride 2 --padding 1
draw 001-sliding-5x5-k3-s2-p1-animated.svg draw sliding --input 5x5 --kernel 3 --stride 2 --padding 1 --animate
draw 001-zero-insertion-2x2-k3.svg draw zero-insertion --input 2x2 --kernel 3 --transposed --step 5
draw 001-zero-insertion-3x3-k3-s2-p1.svg draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed --step 6
draw 001-zero-insertion-3x3-k3-s2-p1-a1.svg draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 --output-padding 1 --transposed --step 0
draw 001-matrix-4x4-k3.tex matrix --input 4x4 --kernel 3 --format latex --highlight-row 1 --standalone
draw 001-zero-insertion-3x3-k3-s2-p1.tex draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed --step 6 --format tikz --standalone

# Lecture notes: padding made visible (the issue's 3×3 input, kernel 2, stride 2, padding 1, and PyTorch's
# ConvTranspose1d with output_padding 1), true convolution and MATLAB's order, numbers in the pictures
# (Dumoulin & Visin's Figure 1.1; Dive into Deep Learning's scatter, with an output cell no product reaches), pooling as a
# matrix, landscape contact sheets, Cᵀ's spy over the padded output.
draw padding-3x3-k2-s2-p1.tex matrix --input 3x3 --kernel 2 --stride 2 --padding 1 --show-padding --labels --format latex --standalone
draw padding-spy-3x3-k2-s2-p1.svg draw spy --input 3x3 --kernel 2 --stride 2 --padding 1 --show-padding
draw padding-transposed-3-k3-s2-p1-op1.tex matrix --input 3 --kernel 3 --stride 2 --padding 1 --output-padding 1 --transposed --show-padding --labels --format latex --standalone
draw flip-sliding-4x4-k3.svg draw sliding --input 4x4 --kernel 3 --flip --weights 1,2,3,4,5,6,7,8,9 --values 1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0 --step 0
draw flip-spy-column-major-3x4-k2x3.svg draw spy --input 3x4 --kernel 2x3 --flip --order column-major
draw numbers-sliding-5x5-k3.svg draw sliding --input 5x5 --kernel 3 --weights 0,1,2,2,2,0,0,1,2 --values 3,3,2,1,0,0,0,1,3,1,3,1,2,2,3,2,0,0,2,2,2,0,0,0,1
draw numbers-scatter-2x2-k2.svg draw scatter --input 2x2 --kernel 2 --transposed --weights 0,1,2,3 --values 0,1,2,3
draw numbers-zero-insertion-2x2-k2-s2.svg draw zero-insertion --input 2x2 --kernel 2 --stride 2 --transposed --weights 1,2,3,4 --values 1,2,3,4 --step 5
draw pooling-max-4x4-k2.tex matrix --input 4x4 --kernel 2 --pool max --values 1,5,2,0,3,4,8,1,0,2,6,7,9,1,3,5 --labels --format latex --standalone
draw pooling-avg-5-k2-ceil.tex matrix --input 5 --kernel 2 --pool avg --ceil-mode --labels --format latex --standalone
draw zero-insertion-3x3-k3-s2-p1-sheet-1.svg draw zero-insertion --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed --sheet 1
draw sheet-scatter-3x3-k3-s2-p1.svg draw scatter --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
draw numbers-scatter-2x2-k2-s2-output-size-5x5.svg draw scatter --input 2x2 --kernel 2 --stride 2 --transposed --output-size 5x5 --weights 0,1,2,3 --values 0,1,2,3 --step 4
draw padding-spy-transposed-3-k3-s2-p1-op1.svg draw spy --input 3 --kernel 3 --stride 2 --padding 1 --output-padding 1 --transposed --show-padding

# The LaTeX matrices as pictures too, where pdflatex and pdftoppm (poppler-utils) are installed.
if command -v pdflatex >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  for name in 001-matrix-4x4-k3 padding-3x3-k2-s2-p1 padding-transposed-3-k3-s2-p1-op1 pooling-max-4x4-k2 pooling-avg-5-k2-ceil; do
    cp "$here/$name.tex" "$scratch/matrix.tex"
    (cd "$scratch" && pdflatex -interaction=nonstopmode -halt-on-error matrix.tex >/dev/null && pdftoppm -r 110 -png -singlefile matrix.pdf matrix)
    cp "$scratch/matrix.png" "$here/$name.png"
    echo "wrote docs/gallery/$name.png"
  done
fi

# The PyTorch documentation (output_padding): 6×6 back from 3×3 needs output_padding 1.
draw 002-scatter-3x3-k3-s2-p1-op1.svg draw scatter --input 3x3 --kernel 3 --stride 2 --padding 1 --output-padding 1 --transposed --step 9

# The TensorFlow documentation (SAME and VALID), and dilation versus a transposed convolution.
draw 003-same-4x4-k2-s1.svg draw sliding --input 4x4 --kernel 2 --padding same --step 15
draw 003-valid-4x4-k2-s1.svg draw sliding --input 4x4 --kernel 2
draw 003-same-5x5-k2-s2.svg draw sliding --input 5x5 --kernel 2 --stride 2 --padding same
draw 003-valid-5x5-k2-s2.svg draw sliding --input 5x5 --kernel 2 --stride 2 --step 0
draw 003-transposed-same-2x2-k2-s1.svg draw scatter --input 2x2 --kernel 2 --padding same --transposed
draw 003-dilation-7x7-k3-d2-s2.svg draw dilation --input 7x7 --kernel 3 --dilation 2 --stride 2

# Beyond the source texts: the 1-D blur of lesson 7, channels and groups, and a matrix with 10⁶ rows.
draw spy-5-k3-p1.svg draw spy --input 5 --kernel 3 --padding 1
draw spy-channels-groups.svg draw spy --input 6x6 --kernel 3 --padding 1 --in-channels 4 --out-channels 4 --groups 2
draw spy-1000x1000-k3.svg draw spy --input 1000x1000 --kernel 3 --padding 1 --pixels 300

# The spectrum of C (lesson 9, docs/spectrum.md): the singular values of a 2-D circular convolution sorted, and
# ‖A(f)‖₂ at every frequency, the modulus of the kernel's DFT.
draw spectrum-32x32-k3-circular.svg spectrum --input 32x32 --kernel 3 --padding 1 --padding-mode circular --random-weights 3 --svg
