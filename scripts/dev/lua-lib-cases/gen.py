# Records what a real redis-server answers for each Lua expression of a cases file, as the c(...)
# lines of src/test/java/dev/panda/script/lib/*LibTest.java:
#   redis-server --port 6401 --bind 127.0.0.1 --save "" &
#   python3 scripts/dev/lua-lib-cases/gen.py scripts/dev/lua-lib-cases/cjson.txt 6401
import socket, sys
PRELUDE = r"""local function N(x) return string.format('%.17g', x) end
local function H(s) local o = {} for i = 1, #s do o[#o+1] = string.format('%02x', s:byte(i)) end return table.concat(o) end
local function E(f, ...) local ok, e = pcall(f, ...) if ok then return 'OK' end return (string.gsub(tostring(e), '^[^:]*:%d+: ', '')) end
local function L(...) local t = {...} local o = {} for i = 1, select('#', ...) do local v = t[i] if type(v) == 'number' then o[i] = N(v) elseif type(v) == 'string' then o[i] = v else o[i] = type(v) == 'userdata' and 'userdata' or tostring(v) end end return table.concat(o, '|') end
"""
def resp(sock, *args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        if isinstance(a, str): a = a.encode('latin-1')
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    sock.sendall(out)
    f = sock.makefile('rb')
    line = f.readline()
    if line[:1] == b'$':
        n = int(line[1:])
        if n < 0: return None
        return f.read(n + 2)[:-2]
    return line.rstrip(b'\r\n')
def jlit(b):
    s = '"'
    for c in b:
        if c == 0x22: s += '\\"'
        elif c == 0x5c: s += '\\\\'
        elif 0x20 <= c < 0x7f: s += chr(c)
        else: s += '\\%03o' % c
    return s + '"'
port = int(sys.argv[2]) if len(sys.argv) > 2 else 6401
sock = socket.create_connection(('127.0.0.1', port))
for line in open(sys.argv[1], encoding='latin-1'):
    expr = line.rstrip('\n')
    if not expr.strip() or expr.startswith('--'): continue
    r = resp(sock, 'EVAL', PRELUDE + 'return ' + expr, '0')
    sock2 = None
    print('            c(%s, %s),' % (jlit(expr.encode('latin-1')), jlit(r)))
