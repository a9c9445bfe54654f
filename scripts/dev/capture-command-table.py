#!/usr/bin/env python3
"""Captures Redis's own COMMAND INFO and COMMAND DOCS for the commands Panda implements.

Developer tool, not run by the build: it regenerates src/main/resources/panda/commands.json
from a running redis-server (7.x), so that Panda's arity checks, COMMAND replies and
redis-cli hints are Redis's, not a transcription of them.

Status replies are stored as {"+": text} and RESP3 sets as {"~": [...]}, so Panda replies
with the same types Redis does.

usage: capture-command-table.py PORT OUTPUT.json [--append] COMMAND[|SUBCOMMAND] ...

--append adds the captured commands to the end of an existing OUTPUT.json and leaves its
other entries byte for byte as they are (Redis lists subcommands in a different order on
every start, so recapturing everything reorders them).
"""
import json, socket, sys

def read_line(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise IOError("connection closed")
    return line[:-2]

def read(f):
    line = read_line(f)
    t, rest = line[:1], line[1:]
    if t == b"+":
        # Status replies stay status replies: redis-cli asserts that flags are.
        return {"+": rest.decode()}
    if t == b"-":
        raise RuntimeError(rest.decode())
    if t == b":":
        return int(rest)
    if t in (b"$", b"="):
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if t in (b"*", b">"):
        n = int(rest)
        return None if n < 0 else [read(f) for _ in range(n)]
    if t == b"~":
        return {"~": [read(f) for _ in range(int(rest))]}
    if t == b"%":
        n = int(rest)
        m = {}
        for _ in range(n):
            k = read(f)
            m[k] = read(f)
        return m
    if t == b"_":
        return None
    raise IOError("unexpected reply type %r" % t)

def call(sock, f, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)
    return read(f)

def main():
    port, output, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    append = names[:1] == ["--append"]
    if append:
        names = names[1:]
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    call(sock, f, "HELLO", "3")
    wanted = {}
    for n in names:
        top, _, sub = n.lower().partition("|")
        wanted.setdefault(top, set())
        if sub:
            wanted[top].add(top + "|" + sub)
    table = []
    for top, subs in wanted.items():
        info = call(sock, f, "COMMAND", "INFO", top)[0]
        docs = call(sock, f, "COMMAND", "DOCS", top)[top]
        if subs:
            info[9] = [s for s in info[9] if s[0] in subs]
            docs["subcommands"] = {k: v for k, v in docs["subcommands"].items() if k in subs}
        table.append({"info": info, "docs": docs})
    doc = {"source": "redis-server 7.0.15 COMMAND INFO / COMMAND DOCS", "commands": table}
    if append:
        with open(output) as existing:
            doc = json.load(existing)
        doc["commands"] += table
    with open(output, "w") as out:
        json.dump(doc, out, indent=1)

if __name__ == "__main__":
    main()
