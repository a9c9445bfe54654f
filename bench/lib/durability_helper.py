#!/usr/bin/env python3
"""Helpers for bench/durability (standard library only; talks to 127.0.0.1 only).

  durability_helper.py proto FIRST COUNT SIZE KIND
      Writes the RESP protocol of COUNT SETs to stdout: keys key:%012d from FIRST (the names
      redis-benchmark -r uses, so its GET load hits them), values of SIZE bytes: the index as
      %010d, then SIZE-10 characters, pseudo-random base64 (KIND random, seeded, so every run
      loads the same data) or 'x' (KIND pattern, as bench/compare).

  durability_helper.py hproto FIRST COUNT FIELDS
      Writes the RESP protocol of COUNT HSETs: keys key:%012d from FIRST, each with FIELDS fields
      field:%03d and 10-byte values v%09d (small enough for a listpack in both servers).

  durability_helper.py pss PID
      Samples the proportional set size (Pss, /proc/PID/smaps_rollup) of PID plus all its
      descendants (a forked Redis child shares pages with its parent: Pss counts each page once)
      every 10 ms until SIGTERM, then prints "<first sample> <peak>" in bytes.

  durability_helper.py timed PORT TIMEOUT COMMAND [ARG ...]
      Sends one command and prints "<seconds>\t<first reply line>", timed from just before the
      send to the end of the reply (no process start-up in the figure). Exit 1 on an error reply.

  durability_helper.py ready PORT PID T0 DBSIZE TIMEOUT
      Polls PING every 5 ms until it answers +PONG (not -LOADING) and then DBSIZE until it is
      DBSIZE; prints the seconds since T0 (epoch seconds, e.g. bash's $EPOCHREALTIME taken just
      before the server was started). Fails when process PID exits or TIMEOUT seconds pass.
"""
import base64
import os
import random
import socket
import sys
import time

HOST = "127.0.0.1"


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port, timeout):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def settimeout(self, t):
        self.sock.settimeout(t)

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self):
        """One reply, as text; bulk and verbatim strings are returned whole."""
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"$", b"="):
            n = int(rest)
            return "" if n < 0 else self._exact(n).decode(errors="replace")
        if kind == b"*":
            return " ".join(self.reply() for _ in range(max(0, int(rest))))
        return line.decode(errors="replace")

    def command(self, *args):
        self.sock.sendall(encode(*args))
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def proto(first, count, size, kind):
    if size < 10:
        sys.exit("value size must be at least 10")
    rng = random.Random(20240601 + first)
    out = sys.stdout.buffer
    pad_len = size - 10
    batch = []
    for i in range(first, first + count):
        key = b"key:%012d" % i
        if kind == "random":
            raw = rng.randbytes(pad_len * 3 // 4 + 3)
            pad = base64.b64encode(raw)[:pad_len]
        else:
            pad = b"x" * pad_len
        value = b"%010d" % i + pad
        batch.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(value), value))
        if len(batch) >= 10000:
            out.write(b"".join(batch))
            batch = []
    out.write(b"".join(batch))
    out.flush()


def hproto(first, count, fields):
    out = sys.stdout.buffer
    head = b"*%d\r\n$4\r\nHSET\r\n" % (2 + 2 * fields)
    batch = []
    for i in range(first, first + count):
        parts = [head, b"$16\r\nkey:%012d\r\n" % i]
        for f in range(fields):
            parts.append(b"$9\r\nfield:%03d\r\n$10\r\nv%09d\r\n" % (f, (i * fields + f) % 1000000000))
        batch.append(b"".join(parts))
        if len(batch) >= 1000:
            out.write(b"".join(batch))
            batch = []
    out.write(b"".join(batch))
    out.flush()


def tree_pss(pid):
    """Pss in bytes of pid and its descendants; processes that vanish count 0."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def pss(pid):
    import signal
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    first = tree_pss(pid)
    peak = first
    while not stop:
        peak = max(peak, tree_pss(pid))
        time.sleep(0.01)
    print("%d %d" % (first, peak))
    return 0


def timed(port, timeout, args):
    conn = Conn(port, timeout)
    try:
        conn.command("PING")  # connect and warm the connection outside the timed part
        start = time.monotonic()
        reply = conn.command(*args)
        elapsed = time.monotonic() - start
    finally:
        conn.close()
    print("%.3f\t%s" % (elapsed, reply.splitlines()[0] if reply else ""))
    return 1 if reply.startswith("-") else 0


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return False


def ready(port, pid, t0, expected, timeout):
    deadline = time.time() + timeout
    conn = None
    last = "no answer yet"
    while time.time() < deadline:
        if not alive(pid):
            sys.stderr.write("server (pid %d) exited before it was ready; last answer: %s\n" % (pid, last))
            return 1
        try:
            if conn is None:
                conn = Conn(port, max(0.1, deadline - time.time()))
            pong = conn.command("PING")
            last = "PING -> " + pong
            if pong == "+PONG":
                n = conn.command("DBSIZE")
                last = "DBSIZE -> " + n
                if n == ":%d" % expected:
                    print("%.3f" % (time.time() - t0))
                    conn.close()
                    return 0
        except (OSError, ConnectionError, ValueError) as e:
            last = "%s: %s" % (type(e).__name__, e)
            if conn is not None:
                conn.close()
                conn = None
        time.sleep(0.005)
    sys.stderr.write("not ready within %ss; last answer: %s\n" % (timeout, last))
    return 1


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "proto" and len(argv) == 6:
        proto(int(argv[2]), int(argv[3]), int(argv[4]), argv[5])
        return 0
    if cmd == "hproto" and len(argv) == 5:
        hproto(int(argv[2]), int(argv[3]), int(argv[4]))
        return 0
    if cmd == "pss" and len(argv) == 3:
        return pss(int(argv[2]))
    if cmd == "timed" and len(argv) >= 5:
        return timed(int(argv[2]), float(argv[3]), argv[4:])
    if cmd == "ready" and len(argv) == 7:
        return ready(int(argv[2]), int(argv[3]), float(argv[4]), int(argv[5]), float(argv[6]))
    sys.exit(__doc__)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:
        sys.exit(1)
