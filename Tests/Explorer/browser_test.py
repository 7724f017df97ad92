"""The explorer in a real browser (Debian's chromium and chromium-driver, selenium from PyPI),
headless: load the page, change stride and padding and check the printed size of C and the
picture, hover a row and check the highlighted window, move with the keyboard, reload from the
URL and step back, see a refusal next to its control, check that the Content-Security-Policy holds
(no violation while the page is used; an injected script, handler or style is blocked). Then
projector mode in a 1280×720 window:
the size of C's cells, C and the linked picture side by side inside the window with no inner
scrollbar, the zoom, the focus after a click, Enter and the arrow keys, a refusal on a first
load, d2l's numeric example typed into the boxes, the spy picture of 2 channels in 2 groups;
and save a screenshot of projector mode.

    python3 Tests/Explorer/browser_test.py [--screenshot docs/explorer-screenshot.png]

Expected sizes come from the output-size formula written here, windows from the loop here, d2l's
numbers from its chapter "Transposed Convolution". Every measurement is printed with its check.
Ends with the line "N passed, M failed"; exit status 1 when a check failed.
"""
import argparse
import os
import shutil
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from server import Checks, Server, default_binary  # noqa: E402

check = Checks()


def output_size(i, k, s, p, d=1):
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


def window(i, k, s, p, a, b):
    """Row-major indices of the inputs under output (a, b)'s window (2-D, square)."""
    cells = []
    for u in range(k):
        for v in range(k):
            r, c = a * s - p + u, b * s - p + v
            if 0 <= r < i and 0 <= c < i:
                cells.append(r * i + c)
    return sorted(cells)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1500"):
        options.add_argument(flag)
    # The console, where Chromium reports what the Content-Security-Policy blocked.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=default_binary())
    parser.add_argument("--screenshot", default=os.path.join(".build", "explorer-screenshot.png"))
    args = parser.parse_args()
    with Server(args.binary) as server:
        driver = browser()
        try:
            run(driver, server.url, args.screenshot, args.binary)
        finally:
            driver.quit()
    return check.finish()


def run(driver, url, screenshot, binary):
    # Every update replaces the pictures and the table, so an element found a moment ago may be
    # gone when it is read: such a read is tried again, not counted as a failure.
    wait = WebDriverWait(driver, 15, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    summary = lambda: driver.find_element(By.ID, "summary").text

    def wait_summary(prefix):
        try:
            wait.until(lambda d: summary().startswith(prefix))
            return True
        except Exception:
            return False

    def set_field(name, value):
        # One edit and one change event, as a person's edit ends (clear() would send one of its own).
        box = driver.find_element(By.ID, name)
        driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", box, value)

    def picture_outputs():
        return len(driver.find_elements(By.CSS_SELECTOR, '#pictures [data-kind="sliding"] [data-link^="out:"]'))

    i, k = 7, 3
    driver.get(url + "?input=7x7&kernel=3")
    o = output_size(i, k, 1, 0)
    check(wait_summary("C: %d×%d," % (o * o, i * i)), "the page loads and prints C: %d×%d" % (o * o, i * i))
    check(picture_outputs() == o * o, "the sliding picture has %d output cells" % (o * o))

    set_field("stride", "2")
    o = output_size(i, k, 2, 0)
    check(wait_summary("C: %d×%d," % (o * o, i * i)), "stride 2: C is %d×%d" % (o * o, i * i))
    check(picture_outputs() == o * o, "stride 2: the picture has %d output cells" % (o * o))

    set_field("padding", "1")
    o = output_size(i, k, 2, 1)
    check(wait_summary("C: %d×%d," % (o * o, i * i)), "stride 2, padding 1: C is %d×%d" % (o * o, i * i))
    check(picture_outputs() == o * o, "stride 2, padding 1: the picture has %d output cells" % (o * o))
    caption = driver.find_element(By.CSS_SELECTOR, '#pictures [data-kind="sliding"] svg').text
    check("output %d×%d" % (o, o) in caption and "1+1" in caption, "the picture's caption says output %d×%d and padding 1+1" % (o, o))
    check("stride=2" in driver.current_url and "padding=1" in driver.current_url, "the URL holds stride=2 and padding=1")

    # Hover row 5 of C: output (1, 2) and the inputs under its window light up in the picture.
    row = 5
    a, b = divmod(row, o)
    header = driver.find_element(By.CSS_SELECTOR, '#matrix tbody th[data-row="%d"]' % row)
    ActionChains(driver).move_to_element(header).perform()
    linked = sorted(el.get_attribute("data-link") for el in driver.find_elements(By.CSS_SELECTOR, "#pictures svg .linked"))
    expected = sorted(["out:%d" % row] + ["in:%d" % c for c in window(i, k, 2, 1, a, b)])
    check(linked == expected, "hovering row %d highlights y(%d,%d) and its window %s" % (row, a, b, expected[:-1]))
    cells = driver.find_elements(By.CSS_SELECTOR, '#matrix tr[data-row="%d"] td.hl-row' % row)
    check(len(cells) == i * i, "the hovered row of C is highlighted across its %d columns" % (i * i))

    # Hover an input cell of the picture: its column of C lights up.
    cell = driver.find_element(By.CSS_SELECTOR, '#pictures [data-link="in:%d"]' % (2 * i + 3))
    ActionChains(driver).move_to_element(cell).perform()
    check(len(driver.find_elements(By.CSS_SELECTOR, '#matrix td.hl-col[data-col="%d"]' % (2 * i + 3))) == o * o,
          "hovering input x(2,3) in the picture highlights column %d of C" % (2 * i + 3))

    # Keyboard from the picture: Tab reaches its cells; focusing input x(2,3) highlights its column of C.
    ActionChains(driver).move_by_offset(0, 0).perform()
    check(cell.get_attribute("tabindex") == "0", "the picture's cells are tab stops")
    driver.execute_script("document.body.dataset.highlight = ''; arguments[0].focus()", cell)
    check(driver.execute_script("return document.body.dataset.highlight").strip() == "column %d" % (2 * i + 3),
          "focusing input x(2,3) in the picture highlights column %d of C" % (2 * i + 3))

    # Keyboard: focus the first cell, ArrowDown moves to row 1, Enter draws that step.
    first = driver.find_element(By.CSS_SELECTOR, '#matrix td[data-row="0"][data-col="0"]')
    driver.execute_script("arguments[0].focus()", first)
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    check(driver.execute_script("return document.activeElement.dataset.row") == "1", "ArrowDown moves the focus to row 1")
    check(driver.execute_script("return document.body.dataset.highlight").strip() == "row 1 column 0", "the focused cell highlights its row and column")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    try:
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, '#pictures [data-kind="sliding"]').get_attribute("data-step") == "1")
        stepped = True
    except Exception:
        stepped = False
    check(stepped and "row=1" in driver.current_url, "Enter draws step 1 (the window of row 1) and puts row=1 in the URL (%s)" % driver.current_url)

    # Reload from the URL: the same state.
    link = driver.current_url
    driver.get(link)
    check(wait_summary("C: %d×%d," % (o * o, i * i)), "reloading the link gives C: %d×%d again" % (o * o, i * i))
    check(driver.find_element(By.ID, "stride").get_attribute("value") == "2" and driver.find_element(By.ID, "padding").get_attribute("value") == "1",
          "reloading restores the stride and padding boxes")
    check(driver.find_element(By.CSS_SELECTOR, '#pictures [data-kind="sliding"]').get_attribute("data-step") == "1", "reloading restores the drawn step")

    # Back: the state before padding 1 (stride 2, padding 0).
    driver.back()
    o0 = output_size(i, k, 2, 0)
    check(wait_summary("C: %d×%d," % (o0 * o0, i * i)), "back steps to stride 2, padding 0: C is %d×%d" % (o0 * o0, i * i))
    check(driver.find_element(By.ID, "padding").get_attribute("value") == "0", "back restores the padding box")
    driver.forward()
    check(wait_summary("C: %d×%d," % (o * o, i * i)), "forward returns to padding 1")

    # A refusal is shown next to its control, and the views stay.
    set_field("stride", "0")
    try:
        wait.until(lambda d: d.find_element(By.ID, "error-stride").text != "")
        message = driver.find_element(By.ID, "error-stride").text
    except Exception:
        message = ""
    cli = subprocess.run([os.path.join(os.path.dirname(binary), "convmat"), "matrix", "--input", "7x7", "--kernel", "3", "--stride", "0", "--padding", "1"],
                         capture_output=True, text=True)
    expected_message = cli.stderr.strip().removeprefix("error: ")
    check(cli.returncode == 2 and message == expected_message,
          "stride 0 is refused next to the stride box with the CLI's message (%r, convmat says %r)" % (message, expected_message))
    check(summary().startswith("C: %d×%d," % (o * o, i * i)), "the last views stay on the page (%s)" % summary())

    # Transposed: Cᵀ, scatter and zero insertion.
    set_field("stride", "2")
    wait_summary("C: ")
    driver.find_element(By.ID, "transposed").click()
    check(wait_summary("Cᵀ: "), "transposed shows Cᵀ")
    kinds = [el.get_attribute("data-kind") for el in driver.find_elements(By.CSS_SELECTOR, "#pictures .picture")]
    check(kinds == ["scatter", "zero-insertion"], "transposed draws scatter and zero insertion")
    check("PyTorch output_padding" in driver.find_element(By.ID, "shape").text, "the shape view lists the output-size sets")

    # The Content-Security-Policy: everything above ran under it without a single violation, and it
    # is in force: a script or style put into the page (as an injected answer would) does not run.
    policy = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/', {cache: 'no-store'}).then(r => done(r.headers.get('content-security-policy') || '')).catch(e => done(''))")
    check("script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy,
          "the page is served with a Content-Security-Policy allowing only its own script and style (%s)" % policy)
    violations = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
    check(not violations, "using the page caused no Content-Security-Policy violation %s" % violations[:2])
    blocked = driver.execute_script(
        "window.__injected = false; const s = document.createElement('script'); s.textContent = 'window.__injected = true';"
        "document.body.appendChild(s);"
        "const d = document.createElement('div'); d.innerHTML = '<img src=x onerror=\"window.__injected = true\">';"
        "document.body.appendChild(d); return window.__injected;")
    driver.execute_script("return new Promise(r => setTimeout(r, 200))")
    injected = driver.execute_script("return window.__injected")
    style = driver.execute_script(
        "const s = document.createElement('style'); s.textContent = 'body { outline: 7px solid rgb(1, 2, 3) }';"
        "document.head.appendChild(s); return getComputedStyle(document.body).outlineWidth;")
    reported = [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]
    check(blocked is False and injected is False and style != "7px" and len(reported) >= 2,
          "an injected inline script, event handler and style are blocked and reported (%d reports)" % len(reported))

    projector(driver, url, wait, wait_summary, binary)

    # The screenshot for docs/explorer.md: projector mode at 1280×720, a 5×5 input, stride 2,
    # padding 1, row 4 hovered.
    driver.get(url + "?input=5x5&kernel=3&stride=2&padding=1&row=4&present=1")
    wait_summary("C: 9×25,")
    wait_fitted(driver, wait)
    header = driver.find_element(By.CSS_SELECTOR, '#matrix tbody th[data-row="4"]')
    ActionChains(driver).move_to_element(header).perform()
    driver.execute_script("window.scrollTo(0, 0)")
    os.makedirs(os.path.dirname(screenshot) or ".", exist_ok=True)
    check(driver.save_screenshot(screenshot), "screenshot saved to %s (projector mode, 1280×720)" % screenshot)


# Geometry of the page as the browser lays it out: bounding boxes (left, top, right, bottom).
LAYOUT = r"""
const box = (el) => { if (!el) return null; const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
const cells = [...document.querySelectorAll('#matrix td')].map((td) => td.getBoundingClientRect());
const svgs = [...document.querySelectorAll('#pictures svg, #spy svg')];
const inner = ['matrix', 'pictures-section', 'pictures', 'matrix-section'].map((id) => document.getElementById(id))
  .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1).map((el) => el.id);
const td = document.querySelector('#matrix td');
return {
  viewport: [innerWidth, innerHeight], present: document.body.classList.contains('present'),
  cells: cells.length, width: Math.min(...cells.map((b) => b.width)), height: Math.min(...cells.map((b) => b.height)),
  font: td ? parseFloat(getComputedStyle(td).fontSize) : 0,
  table: box(document.querySelector('#matrix table')), pictures: svgs.map(box), inner,
  spy: box(document.querySelector('#spy rect.matrix')), zoom: document.getElementById('zoom-level').textContent,
};
"""

# The texts inside the grid cells whose data-link starts with a prefix, by link number: a text belongs to the
# cell whose box holds its centre.
CELL_TEXTS = r"""
const [kind, prefix] = arguments;
const svg = document.querySelector('#pictures [data-kind="' + kind + '"] svg');
if (!svg) return null;
const texts = [...svg.querySelectorAll('text')].map((t) => { const b = t.getBBox(); return { x: b.x + b.width / 2, y: b.y + b.height / 2, text: t.textContent }; });
return [...svg.querySelectorAll('rect[data-link^="' + prefix + '"]')]
  .sort((a, b) => parseInt(a.dataset.link.split(':')[1]) - parseInt(b.dataset.link.split(':')[1]))
  .map((r) => { const b = r.getBBox(); return texts.filter((t) => t.x >= b.x && t.x <= b.x + b.width && t.y >= b.y && t.y <= b.y + b.height).map((t) => t.text).join(' '); });
"""


def wait_fitted(driver, wait):
    """Until the page has drawn and, in projector mode, laid itself out."""
    try:
        wait.until(lambda d: d.execute_script("return document.body.dataset.state") == "drawn")
        wait.until(lambda d: not d.execute_script("return document.body.classList.contains('present')")
                   or d.execute_script("return document.body.dataset.fit") not in (None, ""))
    except Exception:
        pass


def side_by_side(layout, width, height):
    """C left of the first picture, overlapping vertically, both inside the window."""
    table, picture = layout["table"], layout["pictures"][0] if layout["pictures"] else None
    if not table or not picture:
        return False
    inside = all(0 <= box[0] and box[2] <= width + 0.5 and 0 <= box[1] and box[3] <= height + 0.5 for box in (table, picture))
    return inside and table[2] <= picture[0] and table[1] < picture[3] and picture[1] < table[3]


def projector(driver, url, wait, wait_summary, binary):
    width, height = 1280, 720
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    layout = lambda: driver.execute_script(LAYOUT)
    active = lambda: driver.execute_script("const a = document.activeElement; return [a.tagName, a.dataset.row || null, a.dataset.col || null]")

    # The teaching sizes: C 9×25 (5×5, k 3, stride 2, padding 1) and Cᵀ 36×9 (3×3 → 6×6, k 2, stride 2).
    for query, name, rows, columns in (("input=5x5&kernel=3&stride=2&padding=1", "C", 9, 25),
                                       ("input=5x5&kernel=3&stride=2&padding=1&weights=numeric", "C", 9, 25),
                                       ("input=3x3&kernel=2&stride=2&transposed=true", "Cᵀ", 36, 9)):
        driver.get(url + "?" + query + "&present=1")
        wait_summary("%s: %d×%d," % (name, rows, columns))
        wait_fitted(driver, wait)
        shown = layout()
        what = "%s %d×%d (%s)" % (name, rows, columns, query)
        print("      %s at %d×%d: cells %.1f×%.1f px, type %.1f px, C at %s, picture at %s, zoom %s"
              % (what, width, height, shown["width"], shown["height"], shown["font"],
                 [round(v) for v in shown["table"]], [round(v) for v in shown["pictures"][0]], shown["zoom"]))
        check(shown["viewport"] == [width, height] and shown["present"], "present=1 opens projector mode at %d×%d" % (width, height))
        check(shown["cells"] == rows * columns, "%s: every cell of C is shown (%d)" % (what, shown["cells"]))
        # 37 rows (36 and the labels) of 20 px need 740 px, more than the window's 720: Cᵀ 36×9 gets the rows
        # the height allows (at least 18 px), its cells stay at least 20 px wide and its type at least 14 px.
        least = 20 if rows <= 30 else 18
        check(shown["width"] >= 20 and shown["height"] >= least,
              "%s: the cells of C are at least 20×%d px (%.1f×%.1f)" % (what, least, shown["width"], shown["height"]))
        check(shown["font"] >= 13, "%s: C's type is at least 13 px (%.1f; the page's is 12)" % (what, shown["font"]))
        check(side_by_side(shown, width, height), "%s: C and the linked picture stand side by side inside the window" % what)
        check(shown["inner"] == [], "%s: no inner scrollbar (%s)" % (what, shown["inner"]))

    # Focus stays in C: a click, the arrow keys and Enter (which draws that step) keep it on the cell.
    driver.get(url + "?input=5x5&kernel=3&stride=2&padding=1&present=1")
    wait_summary("C: 9×25,")
    wait_fitted(driver, wait)
    renders = driver.execute_script("return document.body.dataset.renders")
    driver.find_element(By.CSS_SELECTOR, '#matrix td[data-row="1"][data-col="2"]').click()
    wait.until(lambda d: d.execute_script("return document.body.dataset.renders") != renders)
    check(active() == ["TD", "1", "2"], "a click on cell (1, 2) draws its step and keeps the focus on it (%s)" % active())
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    check(active() == ["TD", "1", "3"], "ArrowRight moves the focus to (1, 3) (%s)" % active())
    renders = driver.execute_script("return document.body.dataset.renders")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait.until(lambda d: d.execute_script("return document.body.dataset.renders") != renders)
    check(active() == ["TD", "1", "3"] and "column=3" in driver.current_url,
          "Enter draws column 3 and the focus stays on (1, 3) (%s)" % active())
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    check(active() == ["TD", "3", "3"] and driver.execute_script("return window.scrollY") == 0,
          "two ArrowDowns after Enter move in C, not the page (%s, scrollY %s)" % (active(), driver.execute_script("return window.scrollY")))

    # The zoom: + (button and key) enlarges C and goes into the URL; fit (0) returns to the largest that fits.
    fitted = layout()["font"]
    driver.find_element(By.ID, "zoom-in").click()
    zoomed = layout()["font"]
    check(zoomed > fitted and "zoom=" in driver.current_url, "+ enlarges C's type from %.1f to %.1f px and puts zoom in the URL" % (fitted, zoomed))
    ActionChains(driver).send_keys("+").perform()
    check(layout()["font"] > zoomed, "the + key enlarges it again (%.1f px)" % layout()["font"])
    ActionChains(driver).send_keys("0").perform()
    check(abs(layout()["font"] - fitted) < 0.01 and "zoom=" not in driver.current_url, "0 (fit) returns to %.1f px" % fitted)

    # The keyboard shortcut P and the buttons leave and enter projector mode; the URL follows.
    ActionChains(driver).send_keys("p").perform()
    check(not layout()["present"] and "present" not in driver.current_url, "P leaves projector mode")
    driver.find_element(By.ID, "present-on").click()
    check(layout()["present"] and "present=1" in driver.current_url, "the Projector mode button enters it again")
    driver.find_element(By.ID, "present-off").click()
    check(not layout()["present"], "the Exit button leaves it")

    # A refusal on the first load shows the message where the views would be, in both modes.
    cli = subprocess.run([os.path.join(os.path.dirname(binary), "convmat"), "matrix", "--input", "5x5", "--kernel", "3", "--stride", "0"],
                         capture_output=True, text=True)
    expected_message = cli.stderr.strip().removeprefix("error: ")
    for suffix in ("", "&present=1"):
        driver.get(url + "?input=5x5&kernel=3&stride=0" + suffix)
        try:
            wait.until(lambda d: d.find_element(By.ID, "refusal-message").text != "")
        except Exception:
            pass
        message = driver.find_element(By.ID, "refusal-message")
        place = driver.execute_script("const b = arguments[0].getBoundingClientRect(), m = document.getElementById('views').getBoundingClientRect();"
                                      "return [b.left >= m.left && b.right <= m.right && b.top >= m.top && b.bottom <= innerHeight, b.height]", message)
        visible = [el.get_attribute("id") for el in driver.find_elements(By.CSS_SELECTOR, "#views > *") if el.is_displayed()]
        check(message.text == expected_message and place[0] and visible == ["refusal-section"],
              "a first load with stride=0%s shows convmat's message %r where the views would be (shown: %s)" % (suffix, message.text, visible))

    # d2l's numeric example typed into the boxes: y = 0,1,2,3 and K = 0,1,2,3, transposed.
    driver.get(url + "?input=2x2&kernel=2&transposed=true")
    wait_summary("Cᵀ: 9×4,")
    Select(driver.find_element(By.ID, "weights-kind")).select_by_value("list")
    box = driver.find_element(By.ID, "weights")
    check(box.is_displayed() and box.get_attribute("value") == "1,2,3,4", "choosing numbers shows the kernel box, filled with 1,2,3,4")
    driver.execute_script("arguments[0].value = '0,1,2,3'; arguments[0].dispatchEvent(new Event('change'))", box)
    values = driver.find_element(By.ID, "values")
    driver.execute_script("arguments[0].value = '0,1,2,3'; arguments[0].dispatchEvent(new Event('change'))", values)
    try:
        wait.until(lambda d: "values=0,1,2,3" in d.current_url and "weights=0,1,2,3" in d.current_url)
        typed = True
    except Exception:
        typed = False
    check(typed, "the URL holds weights=0,1,2,3 and values=0,1,2,3 (%s)" % driver.current_url)
    # The last output, z(2,2), is row 8 of Cᵀ: its step of the zero insertion shows every output.
    renders = driver.execute_script("return document.body.dataset.renders")
    driver.find_element(By.CSS_SELECTOR, '#matrix td[data-row="8"][data-col="3"]').click()
    wait.until(lambda d: d.execute_script("return document.body.dataset.renders") != renders)
    outputs = driver.execute_script(CELL_TEXTS, "zero-insertion", "out:")
    check(outputs == ["0", "0", "1", "0", "4", "6", "4", "12", "9"],
          "d2l's example draws z = 0 0 1 / 0 4 6 / 4 12 9 in the zero-insertion picture (%s)" % outputs)
    products = driver.execute_script(CELL_TEXTS, "scatter", "out:")
    check(products is not None and [t for t in products if t] == ["0", "3", "6", "9"],
          "and the scatter picture at y(1,1) = 3 writes 3·K = 0 3 6 9 (%s)" % products)
    driver.execute_script("arguments[0].value = '0,1,2'; arguments[0].dispatchEvent(new Event('change'))", values)
    try:
        wait.until(lambda d: d.find_element(By.ID, "error-values").text != "")
    except Exception:
        pass
    cli = subprocess.run([os.path.join(os.path.dirname(binary), "convmat"), "draw", "scatter", "--input", "2x2", "--kernel", "2", "--transposed",
                          "--weights", "0,1,2,3", "--values", "0,1,2"], capture_output=True, text=True)
    check(driver.find_element(By.ID, "error-values").text == cli.stderr.strip().removeprefix("error: "),
          "three values are refused under the values box with convmat's message (%r)" % driver.find_element(By.ID, "error-values").text)

    # 2 channels in 2 groups: the spy picture is readable, in the page and in projector mode.
    for suffix in ("", "&present=1"):
        driver.get(url + "?input=5x5&kernel=3&in_channels=2&out_channels=2&groups=2" + suffix)
        wait_summary("C: 18×50,")
        wait_fitted(driver, wait)
        spy = layout()["spy"]
        size = (spy[2] - spy[0], spy[3] - spy[1]) if spy else (0, 0)
        least = 8 if not suffix else 6
        check(size[0] / 50 >= least and size[1] / 18 >= least,
              "the spy picture of C 18×50 (2 groups)%s is %.0f×%.0f px: squares of %.1f px (at least %d)"
              % (" in projector mode" if suffix else "", size[0], size[1], size[0] / 50, least))


if __name__ == "__main__":
    sys.exit(main())
