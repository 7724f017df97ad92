"""The explorer's HTTP on loopback, as browsers and other clients speak it: who may ask (Host,
Origin, Sec-Fetch-Site: DNS rebinding and other sites' pages are refused with a JSON 403), every
refusal a JSON body (400, 403, 404, 405), the security headers on every answer (a
Content-Security-Policy allowing only the page's own script and style, nosniff), HEAD, HTTP/1.0
(answered, then the connection closes), a request that is not HTTP or an HTTP/1.1 request
without exactly one Host (a JSON 400), the page's
script and style as their own files.

    python3 Tests/Explorer/protocol_test.py [--binary .build/debug/convmat-serve]

Ends with "N passed, M failed"; exit status 1 when a check failed.
"""
import argparse
import json
import os
import socket
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from server import Checks, Server, default_binary  # noqa: E402

check = Checks()


def exchange(port, request, timeout=10):
    """Sends raw bytes; returns (status, headers, body, closed): closed is whether the server ended
    the connection after its answer (within `timeout`)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(timeout)
    s.sendall(request)
    data, closed = b"", False
    is_head = request.startswith(b"HEAD")
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            data += chunk
            head, separator, body = data.partition(b"\r\n\r\n")
            if not separator or b"connection: close" in head.lower():
                continue  # the server closes after this answer: read to the end
            lengths = [int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
            if lengths and len(body) >= (0 if is_head else lengths[0]):
                break
    except socket.timeout:
        pass
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body, closed


def get(port, path, headers=(), method="GET", version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, path, version)] + ["%s: %s" % pair for pair in headers]
    return exchange(port, ("\r\n".join(lines) + "\r\n\r\n").encode())


def is_json_error(body):
    try:
        return bool(json.loads(body).get("error"))
    except ValueError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=default_binary())
    args = parser.parse_args()
    with Server(args.binary) as server:
        port = urllib.parse.urlsplit(server.url).port
        own = "127.0.0.1:%d" % port
        view = "/api/view?input=5x5&kernel=3"

        for host in [own, "localhost:%d" % port, "[::1]:%d" % port]:
            status, _, _, _ = get(port, view, [("Host", host)])
            check(status == 200, "Host %s is answered (%d)" % (host, status))
        for host in ["evil.example:%d" % port, "127.0.0.1.evil.example:%d" % port, "127.0.0.1:%d" % (port + 1)]:
            status, headers, body, _ = get(port, view, [("Host", host)])
            check(status == 403 and is_json_error(body) and headers.get("content-type", "").startswith("application/json"),
                  "Host %s (DNS rebinding) is refused: 403 with a JSON error (%d %s)" % (host, status, body[:80]))

        status, _, _, _ = get(port, view, [("Host", own), ("Origin", "http://" + own)])
        check(status == 200, "the page's own Origin is answered")
        for origin in ["http://evil.example", "null", "https://" + own]:
            status, _, body, _ = get(port, view, [("Host", own), ("Origin", origin)])
            check(status == 403 and is_json_error(body), "Origin %s is refused with a JSON 403 (%d)" % (origin, status))
        status, _, body, _ = get(port, view, [("Host", own), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors")])
        check(status == 403 and is_json_error(body), "a no-cors request from another site is refused before any work (%d)" % status)
        status, _, _, _ = get(port, "/?input=4", [("Host", own), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate")])
        check(status == 200, "a link from another site opens the page (%d)" % status)

        for path, method, expected in [("/nothing", "GET", 404), ("/", "POST", 405), ("/api/view", "DELETE", 405), ("/api/view?colour=red", "GET", 400)]:
            status, headers, body, _ = get(port, path, [("Host", own)], method=method)
            check(status == expected and is_json_error(body) and headers.get("content-type", "").startswith("application/json"),
                  "%s %s: %d with a JSON body (%d %s)" % (method, path, expected, status, body[:60]))
            if expected == 405:
                check(headers.get("allow") == "GET, HEAD", "405 says Allow: GET, HEAD")
        status, headers, body, closed = exchange(port, b"THIS IS NOT HTTP\r\n\r\n")
        check(status == 400 and is_json_error(body) and closed, "a request that is not HTTP gets a JSON 400 and the connection closes (%d %r)" % (status, body[:60]))
        status, headers, body, closed = exchange(port, b"GET /" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        check(status == 400 and is_json_error(body), "a request line of 40 000 bytes gets a JSON 400 (%d)" % status)
        # RFC 9112, section 3.2: an HTTP/1.1 request with no Host, or with two, is a 400; the second
        # Host must not slip past the Host check. HTTP/1.0 may omit it (below).
        for fields, what in [(b"", "no Host"), (("Host: %s\r\nHost: evil.example\r\n" % own).encode(), "two Hosts")]:
            status, headers, body, closed = exchange(port, b"GET " + view.encode() + b" HTTP/1.1\r\n" + fields + b"\r\n")
            check(status == 400 and is_json_error(body) and b"Host" in body and closed,
                  "an HTTP/1.1 request with %s gets a JSON 400 naming Host and the connection closes (%d %r)" % (what, status, body[:80]))

        for path in ["/", "/explorer.js", "/explorer.css", view, "/nothing"]:
            _, headers, _, _ = get(port, path, [("Host", own)])
            policy = headers.get("content-security-policy", "")
            check("script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy
                  and headers.get("x-content-type-options") == "nosniff",
                  "%s carries the Content-Security-Policy and nosniff" % path)
        _, headers, _, _ = get(port, "/explorer.js", [("Host", own)])
        check(headers.get("content-type", "").startswith("text/javascript"), "explorer.js is served as JavaScript")
        _, headers, _, _ = get(port, "/explorer.css", [("Host", own)])
        check(headers.get("content-type", "").startswith("text/css"), "explorer.css is served as CSS")
        _, _, page, _ = get(port, "/", [("Host", own)])
        check(b"<script src=\"explorer.js\"></script>" in page and b"<script>" not in page and b"<style" not in page,
              "the page has no inline script or style")

        _, got, full, _ = get(port, "/", [("Host", own)])
        status, headers, body, _ = exchange(port, ("HEAD / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % own).encode())
        check(status == 200 and body == b"" and headers.get("content-length") == str(len(full)),
              "HEAD / gives the page's headers (Content-Length %s) and no body" % headers.get("content-length"))

        started = time.monotonic()
        status, headers, body, closed = exchange(port, b"GET /api/view?input=5x5&kernel=3 HTTP/1.0\r\n\r\n", timeout=10)
        elapsed = time.monotonic() - started
        check(status == 200 and closed and elapsed < 5 and len(body) == int(headers.get("content-length", -1)),
              "an HTTP/1.0 request gets its whole answer and the connection closes (%.2f s)" % elapsed)
        alive = server.alive()
    check(alive, "the server is still running")
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
