#!/usr/bin/env python3
"""Captures Redis 7.0's configuration directives for Panda's table of accepted directives.

usage: capture-directives.py CONFIG.C PORT OUTPUT.json

CONFIG.C is Redis's src/config.c (git -C <redis mirror> show 7.0.15:src/config.c > config.c):
its static_configs table gives each directive's type, alias, flags, limits and enum values.
PORT is a redis-server of the same version started without a config file, whose CONFIG GET
gives each default as Redis prints it. Writes a JSON list, one object per directive.
"""
import json
import re
import socket
import sys


def resp_call(sock, f, *args):
    out = "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in args)
    sock.sendall(out.encode())
    return read(f)


def read(f):
    line = f.readline().decode().rstrip("\r\n")
    t, rest = line[0], line[1:]
    if t in "+-":
        return rest
    if t == ":":
        return int(rest)
    if t == "$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if t == "*":
        return [read(f) for _ in range(int(rest))]
    raise ValueError(line)


def split_args(s):
    """Splits a C argument list at top-level commas."""
    args, depth, cur, quote = [], 0, "", False
    for ch in s:
        if ch == '"' and (not cur.endswith("\\")):
            quote = not quote
        if not quote and ch in "({":
            depth += 1
        if not quote and ch in ")}":
            depth -= 1
        if not quote and depth == 0 and ch == ",":
            args.append(cur.strip())
            cur = ""
        else:
            cur += ch
    args.append(cur.strip())
    return args


def c_number(expr):
    expr = expr.strip()
    consts = {"INT_MAX": 2**31 - 1, "INT_MIN": -2**31, "UINT_MAX": 2**32 - 1, "LONG_MAX": 2**63 - 1,
              "LLONG_MAX": 2**63 - 1, "ULLONG_MAX": 2**64 - 1, "SSIZE_MAX": 2**63 - 1}
    if expr in consts:
        return consts[expr]
    e = expr.replace("ll", "").replace("LL", "")
    if re.fullmatch(r"0[0-7]+", e):
        return int(e, 8)
    return int(eval(e, {}, {}))


def main():
    config_c, port, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    src = open(config_c).read()
    enums = {}
    for m in re.finditer(r"configEnum (\w+)\[\] = \{(.*?)\};", src, re.S):
        enums[m.group(1)] = re.findall(r'\{"([^"]+)",', m.group(2))
    table = src[src.index("standardConfig static_configs[] = {"):]
    table = table[:table.index("{NULL}")]
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    out = []
    for m in re.finditer(r"create(\w+)Config\((.*?)\),\s*(?:/\*.*?\*/)?\s*\n", table, re.S):
        kind, args = m.group(1), split_args(m.group(2))
        name = args[0].strip('"')
        alias = None if args[1] == "NULL" else args[1].strip('"')
        flags = [x.strip() for x in args[2].split("|")]
        d = {"name": name, "alias": alias, "kind": kind.lower(),
             "mutable": "MODIFIABLE_CONFIG" in flags, "hidden": "HIDDEN_CONFIG" in flags,
             "protected": "PROTECTED_CONFIG" in flags, "sensitive": "SENSITIVE_CONFIG" in flags,
             "multi_arg": "MULTI_ARG_CONFIG" in flags}
        if kind in ("Int", "UInt", "ULong", "LongLong", "ULongLong", "SizeT", "SSizeT", "TimeT", "OffT"):
            d["min"], d["max"] = c_number(args[3]), c_number(args[4])
            d["memory"] = "MEMORY_CONFIG" in args[7]
            d["percent"] = "PERCENT_CONFIG" in args[7]
            d["octal"] = "OCTAL_CONFIG" in args[7]
        if kind == "Enum":
            d["values"] = enums[args[3]]
        got = resp_call(sock, f, "CONFIG", "GET", name)
        d["default"] = got[1] if len(got) == 2 else None
        out.append(d)
    json.dump(out, open(output, "w"), indent=1)
    print("%d directives" % len(out))


if __name__ == "__main__":
    main()
