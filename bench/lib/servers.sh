# Shared shell helpers for the bench/ scripts: Java and JVM options for Panda, a private copy of
# target/panda.jar, free ports on 127.0.0.1, starting Panda and redis-server with extra
# directives, bounded waits, and stopping everything by pid on exit. bench/eviction uses it; it
# follows what bench/compare and bench/durability do inline, so the same rules apply everywhere.
#
# Source it after setting:
#   me      the script's name, for messages (e.g. bench/eviction)
#   root    the checkout's root
# Then call, in this order:
#   bench_java              java_bin, java_real, java_version, jcmd_bin, panda_opts (scripts/jvm-options
#                           plus PANDA_JAVA_OPTS)
#   bench_tmp PREFIX        tmp (a mktemp -d dir, removed on exit) and the EXIT/INT/TERM traps
#   bench_panda_jar         $tmp/panda.jar: a consistent copy of target/panda.jar (built when stale) or of
#                           PANDA_BENCH_JAR, plus the class-data-sharing archive scripts/panda-server uses
# and start_server / stop_server as needed. Any pid variable named in bench_stop_vars (append your
# own: bench_stop_vars+=(sampler_pid)) is stopped by pid on exit, before the servers.
# Settings read: BENCH_START_TIMEOUT (60), BENCH_BUILD_TIMEOUT (600), PANDA_BENCH_JAVA_HOME,
# JAVA_HOME, PANDA_JAVA_OPTS, PANDA_BENCH_JAR, PANDA_CDS.

host=127.0.0.1 # the only address the benchmarks ever talk to
start_timeout="${BENCH_START_TIMEOUT:-60}"  # seconds for an empty server to answer PING
build_timeout="${BENCH_BUILD_TIMEOUT:-600}" # seconds for mvn package, when needed

die() {
  echo "$me: $*" >&2
  exit 1
}
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

is_uint "$start_timeout" && [ "$start_timeout" -gt 0 ] || die "BENCH_START_TIMEOUT must be a positive integer"
is_uint "$build_timeout" && [ "$build_timeout" -gt 0 ] || die "BENCH_BUILD_TIMEOUT must be a positive integer"

# ---- Java for Panda: PANDA_BENCH_JAVA_HOME, else JAVA_HOME, else java on the PATH --------------
bench_java() {
  local java_home="${PANDA_BENCH_JAVA_HOME:-${JAVA_HOME:-}}" extra_opts
  if [ -n "$java_home" ]; then
    java_bin="$java_home/bin/java"
    [ -x "$java_bin" ] || die "no executable $java_bin (PANDA_BENCH_JAVA_HOME / JAVA_HOME)"
  else
    java_bin="$(command -v java)" || die "java not found: set JAVA_HOME or PANDA_BENCH_JAVA_HOME"
  fi
  java_real="$(readlink -f "$java_bin")"
  jcmd_bin="$(dirname "$java_real")/jcmd" # the jcmd of the same JDK, for GC.run
  [ -x "$jcmd_bin" ] || jcmd_bin=""
  java_version="$("$java_bin" -version 2>&1 | head -n 1)"
  # JVM options: the ones scripts/panda-server uses (scripts/jvm-options), plus PANDA_JAVA_OPTS as there.
  mapfile -t panda_opts < <("$root/scripts/jvm-options" "$java_bin")
  [ "${#panda_opts[@]}" -gt 0 ] || die "scripts/jvm-options printed no options"
  if [ -n "${PANDA_JAVA_OPTS:-}" ]; then
    read -r -a extra_opts <<<"$PANDA_JAVA_OPTS"
    panda_opts+=("${extra_opts[@]}")
  fi
}

# ---- temp dir, cleanup -------------------------------------------------------------------------
panda_pid="" redis_pid="" panda_port="" redis_port="" panda_log="" redis_log=""
bench_stop_vars=()
bench_launches=0

stop_pid() { # stop_pid NAME PID: TERM, up to 30 s, then KILL; only the pid we started
  local name="$1" pid="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$me: $name (pid $pid) did not stop on TERM, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local rc=$? var f
  trap - EXIT INT TERM
  if [ "$rc" -gt 128 ]; then
    echo "$me: interrupted, stopping the servers" >&2
  elif [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    for f in "$panda_log" "$redis_log"; do
      if [ -n "$f" ] && [ -s "$f" ]; then
        echo "---- last lines of $(basename "$f") ----" >&2
        tail -n 20 "$f" >&2 || true
      fi
    done
  fi
  for var in "${bench_stop_vars[@]}"; do
    stop_pid "${var%_pid}" "${!var:-}"
  done
  stop_pid panda "$panda_pid"
  stop_pid redis "$redis_pid"
  [ -n "${tmp:-}" ] && rm -rf "$tmp"
  exit "$rc"
}

bench_tmp() { # bench_tmp PREFIX
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  mkdir -p "$tmp/logs"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ---- ports -------------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

port_taken() { # anything listening on the port, or any socket using it as its local port
  port_in_use "$1" && return 0
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ] && return 0
  fi
  return 1
}

# Ports below the kernel's ephemeral range, so client connections cannot be holding them.
ephemeral_low=32768
if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range || true
fi
is_uint "$ephemeral_low" && [ "$ephemeral_low" -gt 11024 ] || ephemeral_low=32768
pick_port() { # pick_port: a free port, never 6379 nor one of ours
  local p i
  for ((i = 0; i < 100; i++)); do
    p=$((10000 + RANDOM % (ephemeral_low - 10000)))
    [ "$p" != 6379 ] && [ "$p" != "$panda_port" ] && [ "$p" != "$redis_port" ] || continue
    port_taken "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# ---- talking to a server -----------------------------------------------------------------------
cli() { # cli PORT ARGS...: one redis-cli command, bounded
  local port="$1"
  shift
  timeout 30 redis-cli -h "$host" -p "$port" "$@" | tr -d '\r'
}
# info_field PORT SECTION FIELD: the field's value, or nothing (status 0) when the server does not answer
info_field() { { cli "$1" INFO "$2" 2>/dev/null || true; } | awk -F: -v f="$3" '$1 == f { print $2 }'; }
# rss_bytes PID: VmRSS in bytes, or nothing (status 0) when the process is gone
rss_bytes() { awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/$1/status" 2>/dev/null || true; }
pid_of() { [ "$1" = panda ] && echo "$panda_pid" || echo "$redis_pid"; }
port_of() { [ "$1" = panda ] && echo "$panda_port" || echo "$redis_port"; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

panda_gc() { # full GC in Panda through the JDK's jcmd, when there is one
  [ -n "$jcmd_bin" ] && [ -n "$panda_pid" ] || return 0
  timeout 60 "$jcmd_bin" "$panda_pid" GC.run >/dev/null 2>&1 || log "warning: jcmd GC.run failed"
  sleep 1
}

# ---- numbers -----------------------------------------------------------------------------------
aggregate() { # aggregate "v1 v2 ..." best|median high|low -> best (max for high, min for low) or median
  printf '%s\n' $1 | awk -v stat="$2" -v dir="${3:-high}" 'NF { v[n++] = $1 + 0 }
    END {
      if (n == 0) exit
      for (i = 1; i < n; i++) for (j = i; j > 0 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
      if (stat == "best") x = (dir == "high") ? v[n-1] : v[0]
      else if (n % 2) x = v[(n-1)/2]
      else x = (v[n/2-1] + v[n/2]) / 2
      printf "%.2f\n", x
    }'
}
ratio() { # ratio A B -> A/B with 2 decimals, or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || a == "n/a" || b == "" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}
mib() { awk -v a="$1" 'BEGIN { if (a == "" || a == "n/a") print "n/a"; else printf "%.1f\n", a / 1048576 }'; }
mem_bytes() { # mem_bytes 64mb -> 67108864, with redis.conf's units (k=1000, kb=1024, m, mb, g, gb)
  awk -v s="$1" 'BEGIN {
    s = tolower(s)
    if (!match(s, /^[0-9]+/)) exit 1
    n = substr(s, 1, RLENGTH) + 0; u = substr(s, RLENGTH + 1)
    m["b"] = 1; m[""] = 1; m["k"] = 1000; m["kb"] = 1024; m["m"] = 1000000; m["mb"] = 1048576
    m["g"] = 1000000000; m["gb"] = 1073741824
    if (!(u in m)) exit 1
    printf "%.0f\n", n * m[u]
  }'
}

# ---- Panda's jar: build when stale (as scripts/panda-server does), then run a private copy -----
# target/panda.jar is rebuilt by every `mvn package/verify` in this checkout; a JVM whose jar is
# replaced under it fails on its next class load, so the benchmark runs a snapshot of it.
bench_panda_jar() {
  local attempt offline before snapshot_ok="" archive
  if [ -n "${PANDA_BENCH_JAR:-}" ]; then
    jar_src="$PANDA_BENCH_JAR"
    [ -f "$jar_src" ] || die "PANDA_BENCH_JAR: no file $jar_src"
  else
    jar_src="$root/target/panda.jar"
    if [ ! -f "$jar_src" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar_src" -type f -print -quit)" ]; then
      command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build $jar_src"
      for attempt in 1 2 3; do
        # Offline first (the dependencies are normally in ~/.m2 already), then online.
        offline=(-o)
        [ "$attempt" -gt 1 ] && offline=()
        log "building $jar_src (mvn -q -B ${offline[*]} -DskipTests package, attempt $attempt) ..."
        if (cd "$root" && timeout "$build_timeout" mvn -q -B "${offline[@]}" -DskipTests package) >"$tmp/build.log" 2>&1; then
          break
        fi
        [ "$attempt" -lt 3 ] || { tail -n 30 "$tmp/build.log" >&2; die "build failed (PANDA_BENCH_JAR=path runs an existing jar)"; }
        log "build failed, retrying in 30 s"
        sleep 30
      done
    fi
  fi
  for attempt in 1 2 3 4 5; do
    before="$(stat -c '%s %Y' "$jar_src" 2>/dev/null || true)"
    if [ -n "$before" ] && cp "$jar_src" "$tmp/panda.jar" 2>/dev/null &&
      [ "$(stat -c '%s %Y' "$jar_src" 2>/dev/null || true)" = "$before" ] &&
      { if command -v unzip >/dev/null 2>&1; then unzip -tqq "$tmp/panda.jar" >/dev/null 2>&1; else true; fi; }; then
      snapshot_ok=1
      break
    fi
    log "$jar_src is being rewritten, retrying the copy in 5 s"
    sleep 5
  done
  [ -n "$snapshot_ok" ] || die "could not take a consistent copy of $jar_src"
  # The class-data-sharing archive scripts/panda-server uses (made here for this copy of the jar).
  if [ "${PANDA_CDS:-yes}" != no ] && archive="$("$root/scripts/cds-archive" "$java_bin" "$tmp/panda.jar" "${panda_opts[@]}")" &&
    [ -n "$archive" ]; then
    panda_opts+=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off,cds+dynamic=off)
  else
    log "no class-data-sharing archive: Panda starts without one"
  fi
}

# ---- servers -----------------------------------------------------------------------------------
# launch NAME PORT DIR [DIRECTIVE VALUE ...]: starts the server in the background with
# --save "" --appendonly no plus the directives; sets NAME_pid, NAME_port and NAME_log.
launch() {
  local name="$1" port="$2" dir="$3"
  shift 3
  bench_launches=$((bench_launches + 1))
  local logf="$tmp/logs/$name-$bench_launches.log"
  mkdir -p "$dir"
  if [ "$name" = panda ]; then
    (
      cd "$tmp"
      # PANDA_<DIRECTIVE> variables would configure the server; the benchmark sets its own.
      while read -r var; do unset "$var"; done < <(compgen -e | grep '^PANDA_' || true)
      # A --maxmemory among the directives also bounds the heap, as scripts/panda-server does.
      mapfile -t heap_opts < <("$root/scripts/jvm-options" "$java_bin" "$@" | grep '^-Xmx' || true)
      exec "$java_bin" "${panda_opts[@]}" "${heap_opts[@]+"${heap_opts[@]}"}" -cp "$tmp/panda.jar" dev.panda.Panda \
        --port "$port" --bind "$host" --dir "$dir" --save "" --appendonly no "$@"
    ) >"$logf" 2>&1 &
    panda_pid=$! panda_port="$port" panda_log="$logf"
  else
    redis-server --port "$port" --bind "$host" --dir "$dir" --save "" --appendonly no \
      --daemonize no --logfile "" "$@" >"$logf" 2>&1 &
    redis_pid=$! redis_port="$port" redis_log="$logf"
  fi
}

# start_server NAME [DIRECTIVE VALUE ...]: starts a server on a fresh dir and waits (bounded) for
# PING, then checks that INFO server's process_id is the process started. Returns 1, with the
# reason in start_error, when the server exits before answering (a rejected directive, say) or
# does not answer in time; the caller decides whether that ends the run.
start_server() {
  local name="$1" attempt port deadline reply logf pid served_by
  shift
  start_error=""
  for attempt in 1 2 3; do
    port="$(pick_port)" || die "no free port found"
    log "starting $name on $host:$port${*:+ ($*)}"
    launch "$name" "$port" "$tmp/data-$name-$((bench_launches + 1))" "$@"
    pid="$(pid_of "$name")" logf="$([ "$name" = panda ] && echo "$panda_log" || echo "$redis_log")"
    deadline=$((SECONDS + start_timeout))
    while :; do
      kill -0 "$pid" 2>/dev/null || break
      reply="$(timeout 2 redis-cli -h "$host" -p "$port" PING 2>/dev/null | tr -d '\r')" || true
      if [ "$reply" = PONG ]; then
        served_by="$(cli "$port" INFO server | awk -F: '$1 == "process_id" { print $2 }')"
        [ "$served_by" = "$pid" ] || die "$host:$port is served by pid '${served_by}', not by our $name (pid $pid)"
        return 0
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        start_error="$name did not answer PING on $host:$port within ${start_timeout}s"
        stop_server "$name"
        return 1
      fi
      sleep 0.2
    done
    wait "$pid" 2>/dev/null || true
    if [ "$attempt" -lt 3 ] && grep -qi "address already in use" "$logf"; then
      log "port $port was taken after all, trying another one"
      continue
    fi
    start_error="$name exited before answering PING: $(grep -v '^[[:space:]]*$' "$logf" | tail -n 3 | tr '\n' ' ' | cut -c1-300)"
    if [ "$name" = panda ]; then panda_pid="" panda_port=""; else redis_pid="" redis_port=""; fi
    return 1
  done
}

stop_server() { # stop_server NAME: SIGTERM (bounded), then KILL
  if [ "$1" = panda ]; then
    stop_pid panda "$panda_pid"
    panda_pid="" panda_port=""
  else
    stop_pid redis "$redis_pid"
    redis_pid="" redis_port=""
  fi
}
