"""The explorer in a real browser (Debian's chromium and chromium-driver, selenium from PyPI),
headless: load the page, change stride and padding and check the printed size of C and the
picture, hover a row and check the highlighted window, move with the keyboard, reload from the
URL and step back, see a refusal next to its control, check that the Content-Security-Policy holds
(no violation while the page is used; an injected script, handler or style is blocked), and save a
screenshot.

    python3 Tests/Explorer/browser_test.py [--screenshot docs/explorer-screenshot.png]

Expected sizes come from the output-size formula written here, windows from the loop here.
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
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, default_binary  # noqa: E402

passed, failed = 0, 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what)


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
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


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

    # The screenshot for docs/explorer.md: a 5×5 input, stride 2, padding 1, row 4 hovered.
    driver.get(url + "?input=5x5&kernel=3&stride=2&padding=1&row=4")
    wait_summary("C: 9×25,")
    header = driver.find_element(By.CSS_SELECTOR, '#matrix tbody th[data-row="4"]')
    ActionChains(driver).move_to_element(header).perform()
    driver.execute_script("window.scrollTo(0, 0)")
    os.makedirs(os.path.dirname(screenshot) or ".", exist_ok=True)
    check(driver.save_screenshot(screenshot), "screenshot saved to %s" % screenshot)


if __name__ == "__main__":
    sys.exit(main())
