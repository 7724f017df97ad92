"""Starts convmat-serve on a free loopback port for the explorer's tests, and stops it."""
import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`with Server(binary) as server:` runs convmat-serve on 127.0.0.1 and gives `server.url`."""

    def __init__(self, binary, extra=()):
        self.binary = binary
        self.extra = list(extra)
        self.process = None
        self.url = None

    def __enter__(self):
        port = free_port()
        self.process = subprocess.Popen(
            [self.binary, "--host", "127.0.0.1", "--port", str(port)] + self.extra,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("ConvMatrix explorer: http://"):
            self.process.kill()
            raise RuntimeError("convmat-serve did not start: %r %s" % (line, self.process.stderr.read()))
        self.url = line.split()[2]
        return self

    def alive(self):
        return self.process.poll() is None

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def default_binary():
    return os.environ.get("CONVMAT_SERVE", os.path.join(".build", "debug", "convmat-serve"))


class Checks:
    """The explorer tests' one tally: `check(condition, what)` prints "ok    what" or
    "FAIL  what"; `finish()` prints "N passed, M failed" and gives the exit status."""

    def __init__(self):
        self.passed, self.failed = 0, 0

    def __call__(self, condition, what):
        if condition:
            self.passed += 1
            print("ok    " + what)
        else:
            self.failed += 1
            print("FAIL  " + what)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
