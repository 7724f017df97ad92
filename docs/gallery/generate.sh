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

# The LaTeX matrix as a picture too, where pdflatex and pdftoppm (poppler-utils) are installed.
if command -v pdflatex >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  cp "$here/001-matrix-4x4-k3.tex" "$scratch/matrix.tex"
  (cd "$scratch" && pdflatex -interaction=nonstopmode -halt-on-error matrix.tex >/dev/null && pdftoppm -r 110 -png -singlefile matrix.pdf matrix)
  cp "$scratch/matrix.png" "$here/001-matrix-4x4-k3.png"
  echo "wrote docs/gallery/001-matrix-4x4-k3.png"
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
