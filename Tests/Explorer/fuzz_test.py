"""A bounded fuzz test of the explorer's server on loopback: a few thousand random and malformed
query strings (seeded, so every run sends the same ones), each answered with 200 or 400 (or 503
with Retry-After, a heavy query past its time budget) and a JSON body, and the server still
answering the page at the end.

    python3 Tests/Explorer/fuzz_test.py [--count 3000] [--seed 17] [--seconds 240]

Ends with the line "N passed, M failed"; exit status 1 when an answer was wrong or the server died.
"""
import argparse
import http.client
import json
import os
import random
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, default_binary  # noqa: E402

KEYS = ["input", "kernel", "stride", "padding", "padding_mode", "dilation", "in_channels", "out_channels", "groups",
        "transposed", "output_padding", "output_size", "weights", "values", "flip", "order", "row", "column", "present", "zoom"]


def number(rng):
    return rng.choice([
        str(rng.randint(0, 9)), str(rng.randint(-3, 40)), str(rng.randint(0, 10 ** rng.randint(1, 25))),
        "-" + str(rng.randint(0, 10 ** 20)), "9223372036854775807", "9223372036854775808", "0x10", "1e3", "2.5", "", " 3",
    ])


def numbers(rng):
    """A list for weights or values: the right length by luck, too short, malformed, or far too long."""
    count = rng.choice([1, 4, 9, 25, rng.randint(0, 60), rng.randint(500, 1100)])
    parts = [rng.choice(["0", "1", "-2", "0.5", "1e-3", "3", "1e400", "1e-400", "nan", "0x1", "", " 4"]) if rng.random() < 0.2
             else str(rng.randint(-9, 9)) for _ in range(count)]
    return ",".join(parts)


def sizes(rng):
    rank = rng.choice([1, 1, 2, 2, 2, 3, 4])
    separator = rng.choice(["x", "x", ",", "×", "X", "*"])
    return separator.join(number(rng) for _ in range(rank))


def value(rng, key):
    kind = rng.random()
    if kind < 0.55:  # plausible
        if key in ("input", "kernel", "stride", "dilation", "output_padding", "output_size"):
            return sizes(rng)
        if key == "padding":
            return rng.choice(["same", "valid", "SAME", "0:1x1:0", "1:x", ":", sizes(rng), "1:2:3", "-1"])
        if key in ("transposed", "flip", "present"):
            return rng.choice(["true", "false", "1", "0", "on", "yes", ""])
        if key == "weights":
            return rng.choice(["symbolic", "numeric", "", numbers(rng), numbers(rng)])
        if key == "values":
            return numbers(rng)
        if key == "zoom":
            return rng.choice(["fit", "", "50", "400", "49", "401", "150", "-5", "1e2", number(rng)])
        if key == "padding_mode":
            return rng.choice(["zeros", "reflect", "replicate", "circular", "Reflect", "mirror", ""])
        if key == "order":
            return rng.choice(["row-major", "column-major", "diagonal", ""])
        return number(rng)
    if kind < 0.8:  # any text
        alphabet = "abcxyz0123456789:;,.-_~!*'()[]{}<>\"\\/ éλ∑\u200b\U0001F600"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
    return "".join(chr(rng.randint(0, 0x2FF)) for _ in range(rng.randint(0, 12)))  # control characters too


def query(rng):
    """A query string as a client could send it: mostly encoded pairs, sometimes raw damage."""
    shape = rng.random()
    if shape < 0.05:
        return "".join(rng.choice("%&=+;?#abc019") for _ in range(rng.randint(0, 60))).replace("#", "%23")
    if shape < 0.08:
        return "input=" + "9" * rng.randint(1000, 5000)
    pairs = []
    for key in rng.sample(KEYS, rng.randint(0, len(KEYS))):
        pairs.append((key, value(rng, key)))
    if rng.random() < 0.1:
        pairs.append((rng.choice(["colour", "Input", "input ", "", "stride[0]"]), "1"))
    if rng.random() < 0.05 and pairs:
        pairs.append(pairs[0])
    text = urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
    if rng.random() < 0.05:  # a broken escape or raw bytes as percent escapes
        text += rng.choice(["%", "%Z", "%4", "&%FF%FE=1", "&input=%C3%28", "&&&", "=&=", "&=1"])
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=default_binary())
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--seconds", type=float, default=240)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    passed, failed, statuses = 0, 0, {}
    started = time.monotonic()
    with Server(args.binary) as server:
        address = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        for n in range(args.count):
            if time.monotonic() - started > args.seconds:
                print("stopping after %.0f s (the time bound), %d queries sent" % (args.seconds, n))
                break
            text = query(rng)
            try:
                connection.request("GET", "/api/view?" + text)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                json.loads(body)
                # 503 is the server's "busy, try again" (Retry-After): a heavy query past its time budget.
                good = status in (200, 400) or (status == 503 and response.getheader("Retry-After") is not None)
            except (http.client.HTTPException, OSError, ValueError) as error:
                status, good = repr(error), False
                connection.close()
                connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            statuses[status] = statuses.get(status, 0) + 1
            if good:
                passed += 1
            else:
                failed += 1
                print("FAIL  query %r → %s" % (text[:200], status))
        connection.close()
        page = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        page.request("GET", "/")
        alive = page.getresponse().status == 200 and server.alive()
    print("answers by status: %s; %.1f s" % (dict(sorted((str(k), v) for k, v in statuses.items())), time.monotonic() - started))
    if alive:
        passed += 1
        print("ok    the server still serves the page after the fuzzing")
    else:
        failed += 1
        print("FAIL  the server died or stopped answering")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
