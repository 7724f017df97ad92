#!/usr/bin/env python3
"""Renders `convmat spectrum --svg` in Chromium at lecture size and checks what a lecturer would see.

Each picture is put on a 1280×720 page (a projector's slide), scaled to fit it, and:

  - every text lies inside the picture (none cut off at an edge), no two texts overlap, and each is
    at least 16 px high on the slide;
  - the axis labels are there: the σ axis's name and its ticks 0, σ_max/2 and σ_max with four
    significant digits (σ_max from `convmat spectrum --json` of the same C), the index axis's name
    and its ends 1 and n;
  - the screenshot is not blank: inside the plot's axes the curve or the bars are drawn in their
    blue (#3182BD) on a fair share of the columns, and the frequency image, where there is one,
    holds several greys.

Needs chromium, chromium-driver and selenium (`make setup-browser`, part of `make test`).
Usage: python3 Tests/Pictures/check_spectrum_picture.py [path/to/convmat]
Exit status 0 when every check passes; prints the number of checks.
"""
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CONVMAT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "convmat")
SLIDE = (1280, 720)
checks = 0
failures = []

CASES = [
    ("2-D circular 32×32 (the gallery's figure)", ["--input", "32x32", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--random-weights", "3"], True),
    ("1-D circular, 16 bars", ["--input", "16", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--weights", "1,2,1"], True),
    ("2-D zeros SAME, dense, no frequency image", ["--input", "8x8", "--kernel", "3", "--padding", "same", "--random-weights", "1"], False),
    ("2-D circular, channels 2→3, 24×24", ["--input", "24x24", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--in-channels", "2", "--out-channels", "3", "--random-weights", "7"], True),
]


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


def four_digits(value):
    """The tick label SpectrumPicture writes: four significant digits, trailing zeros dropped."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    text = f"{round(value, 3 - exponent):.{max(0, 3 - exponent)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decode_png(data):
    """RGB(A) 8-bit, non-interlaced PNG (what Chromium's screenshots are) as rows of (r, g, b) tuples."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return rows


MEASURE = """
const svg = document.querySelector('svg');
const box = svg.getBoundingClientRect();
const texts = [...svg.querySelectorAll('text')].map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          size: parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width};
});
const axes = svg.querySelector('path').getBoundingClientRect();
const cells = [...svg.querySelectorAll('rect')].filter(r => /^#[0-9A-F]{2}([0-9A-F]{2})\\1$/.test(r.getAttribute('fill')) && r.getAttribute('fill') !== '#FFFFFF');
const image = cells.length ? cells.map(c => c.getBoundingClientRect()).reduce((a, r) => ({left: Math.min(a.left, r.left), top: Math.min(a.top, r.top), right: Math.max(a.right, r.right), bottom: Math.max(a.bottom, r.bottom)})) : null;
return {box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom}, texts: texts, axes: {left: axes.left, top: axes.top, right: axes.right, bottom: axes.bottom}, image: image};
"""


def main():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={SLIDE[0]},{SLIDE[1]}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": SLIDE[0], "height": SLIDE[1], "deviceScaleFactor": 1, "mobile": False})
        with tempfile.TemporaryDirectory() as folder:
            for name, arguments, has_image in CASES:
                svg = convmat(["spectrum"] + arguments + ["--svg"])
                sigma_max = json.loads(convmat(["spectrum"] + arguments + ["--json"]))["sigma_max"]
                count = len(json.loads(convmat(["spectrum"] + arguments + ["--json"]))["singular_values"])
                width, height = (float(v) for v in svg.split('viewBox="0 0 ')[1].split('"')[0].split())
                scale = min(SLIDE[0] / width, SLIDE[1] / height)
                page = os.path.join(folder, "slide.html")
                with open(page, "w", encoding="utf-8") as handle:
                    handle.write(
                        "<!doctype html><meta charset='utf-8'><body style='margin:0;background:#fff'>"
                        f"<div style='width:{SLIDE[0]}px;height:{SLIDE[1]}px;display:flex;align-items:center;justify-content:center'>"
                        + svg.replace("<svg ", f"<svg style='width:{width * scale}px;height:{height * scale}px' ", 1)
                        + "</div>")
                driver.get("file://" + page)
                found = driver.execute_script(MEASURE)
                box, texts = found["box"], found["texts"]
                for t in texts:
                    inside = t["left"] >= box["left"] - 0.5 and t["right"] <= box["right"] + 0.5 and t["top"] >= box["top"] - 0.5 and t["bottom"] <= box["bottom"] + 0.5
                    check(inside, f"{name}: '{t['text']}' is cut off ({t['left']:.0f}–{t['right']:.0f} × {t['top']:.0f}–{t['bottom']:.0f} outside {box})")
                    check(t["size"] >= 16, f"{name}: '{t['text']}' is {t['size']:.1f} px high on a 1280×720 slide (at least 16 to read)")
                for i, a in enumerate(texts):
                    for b in texts[i + 1:]:
                        overlap = min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
                        check(not overlap, f"{name}: '{a['text']}' and '{b['text']}' overlap")
                labels = {t["text"] for t in texts}
                for label in ("σ_i", "0", four_digits(sigma_max / 2), four_digits(sigma_max), "1", str(count), "index i (σ₁ = σ_max … σ_min)"):
                    check(label in labels, f"{name}: the axis label '{label}' is missing (labels: {sorted(labels)})")
                pixels = decode_png(driver.get_screenshot_as_png())
                axes = found["axes"]
                columns = range(int(axes["left"]) + 2, int(axes["right"]) - 1)
                blue_columns = sum(
                    1 for x in columns
                    if any(abs(r - 0x31) < 40 and abs(g - 0x82) < 40 and abs(b - 0xBD) < 40 for (r, g, b) in (pixels[y][x] for y in range(int(axes["top"]), int(axes["bottom"]))))
                )
                check(blue_columns >= 0.5 * len(columns), f"{name}: the values are drawn in {blue_columns} of the plot's {len(columns)} pixel columns")
                if has_image:
                    image = found["image"]
                    check(image is not None, f"{name}: no frequency image")
                    if image:
                        greys = {pixels[y][x] for y in range(int(image["top"]) + 1, int(image["bottom"]) - 1) for x in range(int(image["left"]) + 1, int(image["right"]) - 1)}
                        check(len(greys) >= 3, f"{name}: the frequency image shows {len(greys)} colours")
    finally:
        driver.quit()
    for failure in failures:
        print("FAIL:", failure)
    print(f"check_spectrum_picture: {checks - len(failures)} of {checks} checks passed in Chromium at {SLIDE[0]}×{SLIDE[1]} ({len(CASES)} pictures)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
