#!/usr/bin/env bash
# What: one benchmark run, direct dockerd vs. through the gateway (wrk on /_ping and /containers/json, stdout and stdin stream MiB/s, `docker run` latency, concurrent attach sessions and gateway RSS); prints a gateway/direct summary, also written to bench/results/latest.txt.
#       Part tls compares the gateway's mutual-TLS listener with its plaintext one (bench/tlsping.py, the same client for both): new connection + full TLS 1.3 handshake with a client certificate + /_ping, and /_ping over keep-alive connections; its rows are tls/plain.
# Needs: root (private dockerd), Java 17, python3, wrk (installed by scripts/install-deps.sh --bench), Maven only when app/target/portcullis.jar is missing. Knobs: BENCH_SECONDS BENCH_STREAM_MB BENCH_UPLOAD_MB BENCH_RUNS BENCH_SESSIONS BENCH_ONLY=ping,json,stream,upload,run,sessions,tls and more below.
# How long: about 4-5 minutes with the defaults on 2 cores (plus the jar build when missing; part tls alone about 1 minute); about 2.5 minutes with BENCH_SECONDS=3 BENCH_STREAM_MB=100 BENCH_RUNS=5 BENCH_SESSIONS=50.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench="$root/bench"

# ---- knobs -------------------------------------------------------------------------------------
BENCH_SECONDS=${BENCH_SECONDS:-10}            # wrk duration per measured run
BENCH_WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-$(( BENCH_SECONDS < 3 ? BENCH_SECONDS : 3 ))}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}    # wrk -c
BENCH_THREADS=${BENCH_THREADS:-2}             # wrk -t
BENCH_STREAM_MB=${BENCH_STREAM_MB:-500}       # container stdout size, MiB
BENCH_UPLOAD_MB=${BENCH_UPLOAD_MB:-200}       # stdin upload size, MiB
BENCH_STREAM_REPS=${BENCH_STREAM_REPS:-3}     # stream/upload repetitions per side (median kept)
BENCH_RUNS=${BENCH_RUNS:-15}                  # `docker run ... true` runs per side
BENCH_SESSIONS=${BENCH_SESSIONS:-200}         # concurrent attach sessions
BENCH_HOLD_SECONDS=${BENCH_HOLD_SECONDS:-3}   # how long all sessions are held before RSS is sampled
BENCH_RUN_ARGS=${BENCH_RUN_ARGS:-}            # extra `docker run` options for stream/upload, e.g. "--log-driver none"
BENCH_WAIT_IDLE=${BENCH_WAIT_IDLE:-60}        # wait up to this many s for a quiet machine before each part (0: no wait)
BENCH_TLS_CONCURRENCY=${BENCH_TLS_CONCURRENCY:-2}  # tls: new connections in flight at once (keep-alive uses BENCH_CONNECTIONS)
BENCH_ONLY=${BENCH_ONLY:-ping,json,stream,upload,run,sessions,tls}
all_parts="ping json stream upload run sessions tls"
for p in ${BENCH_ONLY//,/ }; do
  case " $all_parts " in *" $p "*) ;; *) echo "BENCH_ONLY: unknown part '$p' (parts: ${all_parts// /,})" >&2; exit 2 ;; esac
done
want() { case ",$BENCH_ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for v in BENCH_SECONDS BENCH_WARMUP_SECONDS BENCH_CONNECTIONS BENCH_THREADS BENCH_STREAM_MB BENCH_UPLOAD_MB \
         BENCH_STREAM_REPS BENCH_RUNS BENCH_SESSIONS BENCH_HOLD_SECONDS BENCH_WAIT_IDLE BENCH_TLS_CONCURRENCY; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a whole number (got '${!v}')" >&2; exit 2; }
done
(( BENCH_SECONDS >= 1 && BENCH_RUNS >= 1 && BENCH_SESSIONS >= 1 && BENCH_STREAM_REPS >= 1 && BENCH_CONNECTIONS >= 1 && BENCH_TLS_CONCURRENCY >= 1 )) \
  || { echo "BENCH_SECONDS, BENCH_RUNS, BENCH_SESSIONS, BENCH_STREAM_REPS, BENCH_CONNECTIONS and BENCH_TLS_CONCURRENCY must be at least 1" >&2; exit 2; }

read -r -a run_args <<<"$BENCH_RUN_ARGS"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
py() { python3 "$@"; }
rep() { python3 "$bench/report.py" "$@"; }
say() { echo "$*"; }
anomalies=()
anomaly() { anomalies+=("$*"); echo "  ANOMALY: $*" >&2; }

# ---- setup -------------------------------------------------------------------------------------
scripts/install-deps.sh --bench
tmp=$(mktemp -d /tmp/portcullis-bench.XXXXXX)
ddir="$tmp/dockerd"
results="$tmp/results.tsv"
: >"$results"
gw_pid=""
cid=""
read -r dport gport cport tport < <(py - <<'EOF'
import socket
socks = []
for _ in range(4):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
)
direct_host="tcp://127.0.0.1:$dport"
gw_host="tcp://127.0.0.1:$gport"

cleanup() {
  local rc=$?
  set +e
  if [ -n "$cid" ]; then timeout 30 docker -H "unix://$ddir/docker.sock" rm -f "$cid" >/dev/null 2>&1; fi
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then
    kill -TERM "$gw_pid" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$gw_pid" 2>/dev/null; then
      echo "gateway $gw_pid did not stop in 30 s; killing it" >&2
      kill -KILL "$gw_pid" 2>/dev/null
    fi
    wait "$gw_pid" 2>/dev/null
  fi
  scripts/dockerd-stop.sh "$ddir" >/dev/null 2>&1
  umount -R "$ddir"/exec 2>/dev/null
  umount -R "$ddir"/data 2>/dev/null
  if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp" 2>/dev/null; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "== setup: private dockerd in $ddir (tcp 127.0.0.1:$dport)"
scripts/dockerd-start.sh "$ddir" "$dport" >/dev/null
sock="unix://$ddir/docker.sock"

jar="$root/app/target/portcullis.jar"
if [ ! -f "$jar" ]; then
  say "== setup: building $jar (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi
# Run a private copy so a concurrent rebuild of app/target cannot pull classes from under the JVM.
cp "$jar" "$tmp/portcullis.jar"
bundle="$tmp/bench-bundle"
if want tls; then # CA, server certificate (localhost, 127.0.0.1) and a tenant bundle, before the gateway starts
  say "== setup: CA and tenant 'bench' client bundle in $tmp/state ($bundle)"
  timeout 120 java -jar "$tmp/portcullis.jar" --state "$tmp/state" init >"$tmp/init.log" 2>&1 \
    || { echo "portcullis init failed:" >&2; tail -20 "$tmp/init.log" >&2; exit 1; }
  timeout 120 java -jar "$tmp/portcullis.jar" --state "$tmp/state" tenant add bench --out "$bundle" >>"$tmp/init.log" 2>&1 \
    || { echo "portcullis tenant add failed:" >&2; tail -20 "$tmp/init.log" >&2; exit 1; }
  for f in ca.pem cert.pem key.pem; do [ -s "$bundle/$f" ] || { echo "tenant bundle lacks $f" >&2; exit 1; }; done
fi
jar_info="jar of $(date -r "$jar" '+%Y-%m-%d %H:%M:%S'), tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' with uncommitted changes')"

say "== setup: gateway on 127.0.0.1:$gport, mutual TLS on 127.0.0.1:$tport (cluster port $cport)"
# One tenant drives all the load here: its request-rate limit (limits.requestsPerSecondPerTenant, a
# protection for a shared node) would cap what is measured, so it is off; everything else is default.
# BENCH_CONFIG: more configuration as JSON (merged over this), e.g. '{"audit": {"target": "off"}}'.
python3 - "$tmp/bench-config.json" "${BENCH_CONFIG:-{\}}" <<'PY'
import json, sys
config = {"limits": {"requestsPerSecondPerTenant": 0}}
for key, value in json.loads(sys.argv[2]).items():
    config.setdefault(key, {}).update(value) if isinstance(value, dict) else config.__setitem__(key, value)
json.dump(config, open(sys.argv[1], "w"))
PY
java_env=()
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then java_env=(JAVA_TOOL_OPTIONS="$BENCH_JAVA_OPTS"); fi
env PORTCULLIS_BACKENDS="local=$sock" \
    PORTCULLIS_PLAINTEXT_HOST=127.0.0.1 \
    PORTCULLIS_PLAINTEXT_PORT="$gport" \
    PORTCULLIS_TLS_HOST=127.0.0.1 \
    PORTCULLIS_TLS_PORT="$tport" \
    PORTCULLIS_STATE_DIR="$tmp/state" \
    PORTCULLIS_CLUSTER_HOST=127.0.0.1 \
    PORTCULLIS_CLUSTER_PORT="$cport" \
    PORTCULLIS_CLUSTER_NAME="portcullis-bench-$$" \
    PORTCULLIS_CLUSTER_MEMBERS="127.0.0.1:$cport" \
    "${java_env[@]}" \
    java -jar "$tmp/portcullis.jar" --config "$tmp/bench-config.json" >"$tmp/gateway.log" 2>&1 &
gw_pid=$!
up=0
for _ in $(seq 1 240); do
  if ! kill -0 "$gw_pid" 2>/dev/null; then break; fi
  if [ "$(curl -sf --max-time 2 "http://127.0.0.1:$gport/_ping" 2>/dev/null)" = OK ]; then up=1; break; fi
  sleep 0.5
done
if [ "$up" != 1 ]; then
  echo "gateway did not answer /_ping within 120 s; last lines of its log:" >&2
  tail -30 "$tmp/gateway.log" >&2
  exit 1
fi
[ "$(curl -sf --max-time 5 "http://127.0.0.1:$dport/_ping")" = OK ] || { echo "direct dockerd tcp port does not answer" >&2; exit 1; }
idle_pct() { # share of CPU idle over 2 s, machine-wide (other work on the machine skews every figure)
  py - <<'PYEOF'
import time
def snap():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return v[3] + v[4], sum(v)
i0, t0 = snap(); time.sleep(2); i1, t1 = snap()
print(f"{100.0 * (i1 - i0) / max(1, t1 - t0):.0f}")
PYEOF
}
# Before each part: how idle is the machine while our dockerd and gateway sit idle? Other work on
# it competes for the CPUs. Waits up to BENCH_WAIT_IDLE s for >= 80% idle first.
idle_log=""
quiet_check() { # PART
  local idle waited=0
  idle=$(idle_pct)
  while (( idle < 80 && waited < BENCH_WAIT_IDLE )); do
    sleep 3; waited=$(( waited + 5 )); idle=$(idle_pct)
  done
  idle_log+=" $1=${idle}%"
  (( idle >= 80 )) || anomaly "machine only ${idle}% idle before part '$1' (load $(cut -d' ' -f1-3 /proc/loadavg)): other work competes for the CPUs, figures are noisy"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
rss_start=$(awk '/^VmRSS:/ {print $2}' "/proc/$gw_pid/status")
storage=$(timeout 20 docker -H "$sock" info --format '{{.Driver}}' 2>/dev/null || echo '?')
engine=$(timeout 20 docker -H "$sock" version --format '{{.Server.Version}}' 2>/dev/null || echo '?')
say "   gateway pid $gw_pid up, VmRSS ${rss_start} KiB; dockerd $engine, storage driver $storage"

# row METRIC UNIT DIRECT GATEWAY BETTER TARGET [NOTE]
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" "$5" "${6:-}" "${7:-}" >>"$results"; }
ratio() { rep ratio "$1" "$2"; }

# ---- 1. wrk: /_ping and /containers/json -------------------------------------------------------
wrk_one() { # URL OUT SECONDS
  timeout $(( $3 + 60 )) wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$3s" --timeout 5s --latency "$1" >"$2" 2>&1 || true
}
wrk_part() { # NAME PATH THROUGHPUT_TARGET
  local name=$1 path=$2 target=$3 d g
  say "== $name: wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s --latency (warm-up ${BENCH_WARMUP_SECONDS}s each side first)"
  if (( BENCH_WARMUP_SECONDS > 0 )); then
    wrk_one "http://127.0.0.1:$dport$path" "$tmp/wrk-warm-direct.txt" "$BENCH_WARMUP_SECONDS"
    wrk_one "http://127.0.0.1:$gport$path" "$tmp/wrk-warm-gw.txt" "$BENCH_WARMUP_SECONDS"
  fi
  wrk_one "http://127.0.0.1:$dport$path" "$tmp/wrk-$name-direct.txt" "$BENCH_SECONDS"
  wrk_one "http://127.0.0.1:$gport$path" "$tmp/wrk-$name-gw.txt" "$BENCH_SECONDS"
  read -r d_rps d_p50 d_p99 d_req d_bad d_sock < <(rep wrk "$tmp/wrk-$name-direct.txt")
  read -r g_rps g_p50 g_p99 g_req g_bad g_sock < <(rep wrk "$tmp/wrk-$name-gw.txt")
  for side in direct gw; do
    local f="$tmp/wrk-$name-$side.txt" bad sockerr req
    if [ $side = direct ]; then bad=$d_bad; sockerr=$d_sock; req=$d_req; else bad=$g_bad; sockerr=$g_sock; req=$g_req; fi
    if [ "$req" = 0 ] || [ "$req" = - ]; then anomaly "$name $side: wrk made no requests: $(tail -3 "$f" | tr '\n' ' ')"; fi
    if [ "$bad" != 0 ] && [ "$bad" != - ]; then anomaly "$name $side: $bad non-2xx responses out of $req"; fi
    if [ "$sockerr" != 0 ] && [ "$sockerr" != - ]; then anomaly "$name $side: socket errors: $(grep 'Socket errors' "$f")"; fi
  done
  say "   direct : ${d_rps} req/s, p50 ${d_p50} ms, p99 ${d_p99} ms"
  say "   gateway: ${g_rps} req/s, p50 ${g_p50} ms, p99 ${g_p99} ms"
  say "   throughput ratio $(ratio "$d_rps" "$g_rps")x (gateway/direct, higher is better; target ${target}x)"
  say "   p50 latency ratio $(ratio "$d_p50" "$g_p50")x, p99 latency ratio $(ratio "$d_p99" "$g_p99")x (gateway/direct, lower is better)"
  row "GET $path throughput" "req/s" "$d_rps" "$g_rps" higher "$target"
  row "GET $path p50 latency" "ms" "$d_p50" "$g_p50" lower ""
  row "GET $path p99 latency" "ms" "$d_p99" "$g_p99" lower ""
}
if want ping; then quiet_check ping; wrk_part ping /_ping ">=0.8"; fi
if want json; then quiet_check json; wrk_part json /containers/json ">=0.85"; fi

# ---- 2./3. stdout stream and stdin upload ------------------------------------------------------
stream_part() { # KIND(out|in) MIB
  local kind=$1 mib=$2 bytes=$(( $2 * 1048576 )) limit=$(( $2 / 5 + 120 )) host side rep_i f
  local -A win wall
  local label cmd
  if [ "$kind" = out ]; then
    label="stdout stream"
    say "== stream: docker run --rm --network none${BENCH_RUN_ARGS:+ $BENCH_RUN_ARGS} busybox:local head -c $bytes /dev/zero, counted; $BENCH_STREAM_REPS x per side"
  else
    label="stdin upload"
    say "== upload: $mib MiB of zeros | docker run -i --rm --network none${BENCH_RUN_ARGS:+ $BENCH_RUN_ARGS} busybox:local sh -c 'cat > /dev/null'; $BENCH_STREAM_REPS x per side"
  fi
  for rep_i in $(seq 1 "$BENCH_STREAM_REPS"); do
    for side in direct gw; do
      if [ $side = direct ]; then host=$direct_host; else host=$gw_host; fi
      f="$tmp/$kind-$side-$rep_i.json"
      if [ "$kind" = out ]; then
        py "$bench/pipe.py" out "$limit" -- docker -H "$host" run --rm --network none "${run_args[@]}" busybox:local head -c "$bytes" /dev/zero >"$f" || true
      else
        py "$bench/pipe.py" in "$bytes" "$limit" -- docker -H "$host" run -i --rm --network none "${run_args[@]}" busybox:local sh -c 'cat > /dev/null' >"$f" || true
      fi
      local got rc w ws
      got=$(rep get "$f" bytes); rc=$(rep get "$f" rc); w=$(rep get "$f" window_s); ws=$(rep get "$f" wall_s)
      if [ "$rc" != 0 ] || [ "$got" != "$bytes" ]; then
        anomaly "$label $side run $rep_i: rc=$rc, $got of $bytes bytes $(rep get "$f" error)"
        continue
      fi
      win[$side]+=" $(rep mibs "$bytes" "$w")"
      wall[$side]+=" $(rep mibs "$bytes" "$ws")"
      say "   run $rep_i $side: $(rep mibs "$bytes" "$w") MiB/s in the transfer window, $(rep mibs "$bytes" "$ws") MiB/s whole command (${ws} s)"
    done
  done
  local dw gw_ dl gl
  # shellcheck disable=SC2086
  dw=$(rep median ${win[direct]:-}); gw_=$(rep median ${win[gw]:-}); dl=$(rep median ${wall[direct]:-}); gl=$(rep median ${wall[gw]:-})
  local what="first byte->EOF"; [ "$kind" = in ] && what="first MiB accepted->exit"
  say "   median direct ${dw:--} MiB/s, gateway ${gw_:--} MiB/s ($what): ratio $(ratio "$dw" "$gw_")x (gateway/direct, higher is better; target >= 0.95x)"
  say "   median whole command: direct ${dl:--} MiB/s, gateway ${gl:--} MiB/s: ratio $(ratio "$dl" "$gl")x (gateway/direct, higher is better)"
  row "$label $mib MiB ($what)" "MiB/s" "$dw" "$gw_" higher ">=0.95"
  row "$label $mib MiB (whole docker run)" "MiB/s" "$dl" "$gl" higher ""
}
if want stream; then quiet_check stream; stream_part out "$BENCH_STREAM_MB"; fi
if want upload; then quiet_check upload; stream_part in "$BENCH_UPLOAD_MB"; fi

# ---- 4. docker run latency ---------------------------------------------------------------------
if want run; then
  quiet_check run
  say "== run: docker run --rm --network none busybox:local true, $BENCH_RUNS x per side, alternating (1 warm-up each)"
  py "$bench/pipe.py" run 1 120 "$direct_host,$gw_host" -- docker run --rm --network none busybox:local true >/dev/null || true
  py "$bench/pipe.py" run "$BENCH_RUNS" 120 "$direct_host,$gw_host" -- docker run --rm --network none busybox:local true >"$tmp/run.json" || true
  read -r d_med d_p90 d_min d_n d_fail d_mean < <(rep runs "$tmp/run.json" "$direct_host")
  read -r g_med g_p90 g_min g_n g_fail g_mean < <(rep runs "$tmp/run.json" "$gw_host")
  [ "$d_fail" = 0 ] || anomaly "docker run direct: $d_fail of $BENCH_RUNS runs failed"
  [ "$g_fail" = 0 ] || anomaly "docker run gateway: $g_fail of $BENCH_RUNS runs failed"
  ms() { [ "$1" = - ] && echo - || py -c "print(f'{float(\"$1\")*1000:.1f}')"; }
  d_med_ms=$(ms "$d_med"); g_med_ms=$(ms "$g_med"); d_p90_ms=$(ms "$d_p90"); g_p90_ms=$(ms "$g_p90")
  d_mean_ms=$(ms "$d_mean"); g_mean_ms=$(ms "$g_mean")
  say "   direct : median ${d_med_ms} ms, mean ${d_mean_ms} ms, p90 ${d_p90_ms} ms, min $(ms "$d_min") ms over $d_n runs"
  say "   gateway: median ${g_med_ms} ms, mean ${g_mean_ms} ms, p90 ${g_p90_ms} ms, min $(ms "$g_min") ms over $g_n runs"
  say "   all runs, sorted (ms): direct [$(rep times "$tmp/run.json" "$direct_host")]"
  say "                          gateway [$(rep times "$tmp/run.json" "$gw_host")]"
  say "   median latency ratio $(ratio "$d_med_ms" "$g_med_ms")x (gateway/direct, lower is better; target <= 1.1x); mean latency ratio $(ratio "$d_mean_ms" "$g_mean_ms")x"
  say "   (where run latency comes in steps, e.g. ~50 ms on the 2-core dev VM, the median jumps a whole step; the mean moves smoothly)"
  row "docker run --rm true, median" "ms" "$d_med_ms" "$g_med_ms" lower "<=1.1"
  row "docker run --rm true, mean" "ms" "$d_mean_ms" "$g_mean_ms" lower ""
  row "docker run --rm true, p90" "ms" "$d_p90_ms" "$g_p90_ms" lower ""
fi

# ---- 5. concurrent attach sessions -------------------------------------------------------------
if want sessions; then
  quiet_check sessions
  say "== sessions: $BENCH_SESSIONS concurrent POST /containers/ID/attach (Upgrade: tcp) on one 'cat' container"
  cid=$(timeout 120 docker -H "$gw_host" run -d -i --network none busybox:local cat 2>"$tmp/sessions-create.err" || true)
  if [ -z "$cid" ]; then
    anomaly "sessions: could not create the cat container through the gateway: $(head -c 300 "$tmp/sessions-create.err")"
  else
    serial_n=$(( BENCH_SESSIONS < 20 ? BENCH_SESSIONS : 20 ))
    jcmd=$(command -v jcmd || true)   # forced GC before RSS samples; raw figures are reported too
    sess() { # LABEL PORT RSS_PID OUT
      timeout $(( BENCH_SESSIONS * 3 + 180 )) python3 "$bench/sessions.py" --port "$2" --container "$cid" \
        --sessions "$BENCH_SESSIONS" --serial "$serial_n" --label "$1" --rss-pid "$3" --jcmd "$jcmd" --hold "$BENCH_HOLD_SECONDS" >"$4" 2>"$4.err" || true
    }
    # A warm-up round through the gateway first (JIT, buffer pools), so the RSS baseline is fair.
    sess warmup "$gport" "$gw_pid" "$tmp/sess-warm.json"
    sleep 1
    sess direct "$dport" 0 "$tmp/sess-direct.json"
    sleep 1
    sess gateway "$gport" "$gw_pid" "$tmp/sess-gw.json"
    r2() { local v; v=$(rep get "$1" "$2"); [ -z "$v" ] && echo - || py -c "print(f'{float(\"$v\"):.2f}')"; }
    for side in direct gw; do
      f="$tmp/sess-$side.json"
      if [ ! -s "$f" ]; then anomaly "sessions $side: client failed: $(tail -3 "$f.err" | tr '\n' ' ')"; continue; fi
      opened=$(rep get "$f" opened); oerr=$(rep get "$f" open_errors); eerr=$(rep get "$f" echo_errors)
      [ "$opened" = "$BENCH_SESSIONS" ] || anomaly "sessions $side: opened $opened of $BENCH_SESSIONS ($(rep get "$f" first_open_error))"
      [ "$eerr" = 0 ] || anomaly "sessions $side: $eerr echo timeouts/errors"
      alive=$(rep get "$f" alive_while_held)
      [ "$alive" = "$opened" ] || anomaly "sessions $side: only $alive of $opened sessions still open while held"
      say "   $side: one at a time ($(rep get "$f" serial_count)): connect+101 p50 $(r2 "$f" serial_p50_ms) ms, p99 $(r2 "$f" serial_p99_ms) ms"
      say "   $side: all at once: opened $opened (errors $oerr, statuses $(rep get "$f" statuses)); connect+101 p50 $(r2 "$f" connect_p50_ms) ms, p99 $(r2 "$f" connect_p99_ms) ms, max $(r2 "$f" connect_max_ms) ms; echo p50 $(r2 "$f" echo_p50_ms) ms, p99 $(r2 "$f" echo_p99_ms) ms"
    done
    fd="$tmp/sess-direct.json"; fg="$tmp/sess-gw.json"
    dc50=$(r2 "$fd" connect_p50_ms); gc50=$(r2 "$fg" connect_p50_ms)
    dc99=$(r2 "$fd" connect_p99_ms); gc99=$(r2 "$fg" connect_p99_ms)
    de50=$(r2 "$fd" echo_p50_ms); ge50=$(r2 "$fg" echo_p50_ms)
    de99=$(r2 "$fd" echo_p99_ms); ge99=$(r2 "$fg" echo_p99_ms)
    rss0=$(rep get "$fg" rss_before_kib); rss1=$(rep get "$fg" rss_held_kib); per=$(r2 "$fg" rss_per_session_kib)
    rss0r=$(rep get "$fg" rss_before_raw_kib); rss1r=$(rep get "$fg" rss_held_raw_kib); perr=$(r2 "$fg" rss_per_session_raw_kib)
    gcnote="after forced GC"; [ "$(rep get "$fg" rss_gc_forced)" = True ] || gcnote="no GC forced (jcmd missing)"
    say "   attach connect+101 p99 ratio $(ratio "$dc99" "$gc99")x, p50 ratio $(ratio "$dc50" "$gc50")x (gateway/direct, lower is better; target p99 <= 1.5x)"
    say "   echo p99 ratio $(ratio "$de99" "$ge99")x, p50 ratio $(ratio "$de50" "$ge50")x (gateway/direct, lower is better)"
    say "   gateway VmRSS ($gcnote): ${rss0:-?} KiB before, ${rss1:-?} KiB while holding $(rep get "$fg" alive_while_held) sessions: ${per} KiB per held session (target <= 16)"
    say "   gateway VmRSS (raw, no GC): ${rss0r:-?} KiB before, ${rss1r:-?} KiB while holding: ${perr} KiB per held session"
    ds50=$(r2 "$fd" serial_p50_ms); gs50=$(r2 "$fg" serial_p50_ms)
    say "   attach connect+101 one at a time p50 ratio $(ratio "$ds50" "$gs50")x (gateway/direct, lower is better)"
    row "attach connect+101 p50 (one at a time)" "ms" "$ds50" "$gs50" lower ""
    row "attach connect+101 p50 ($BENCH_SESSIONS at once)" "ms" "$dc50" "$gc50" lower ""
    row "attach connect+101 p99 ($BENCH_SESSIONS at once)" "ms" "$dc99" "$gc99" lower "<=1.5"
    row "attach echo p50 (one session at a time)" "ms" "$de50" "$ge50" lower ""
    row "attach echo p99 (one session at a time)" "ms" "$de99" "$ge99" lower ""
    row "gateway VmRSS before sessions ($gcnote)" "KiB" "" "$rss0" abs ""
    row "gateway VmRSS holding $BENCH_SESSIONS sessions ($gcnote)" "KiB" "" "$rss1" abs ""
    row "gateway RSS per held session ($gcnote)" "KiB" "" "$per" abs "<=16"
    row "gateway RSS per held session (raw, no GC)" "KiB" "" "$perr" abs ""
    timeout 30 docker -H "$sock" rm -f "$cid" >/dev/null 2>&1 || true
    cid=""
  fi
fi

# ---- 6. mutual TLS vs plaintext, both through the gateway ---------------------------------------
if want tls; then
  quiet_check tls
  tls_args=(--tls --ca "$bundle/ca.pem" --cert "$bundle/cert.pem" --key "$bundle/key.pem" --server-name localhost)
  tp() { # OUT MODE SECONDS PORT [TLS ARGS...]: bench/tlsping.py, bounded
    local out=$1 mode=$2 secs=$3 port=$4
    shift 4
    timeout $(( secs + 60 )) python3 "$bench/tlsping.py" "$mode" --port "$port" --seconds "$secs" \
      --concurrency "$BENCH_TLS_CONCURRENCY" --connections "$BENCH_CONNECTIONS" --pid "$gw_pid" "$@" >"$out" 2>"$out.err" || true
  }
  tls_ok=1
  tp "$tmp/tls-check.json" conn 1 "$tport" "${tls_args[@]}"
  if [ "$(rep get "$tmp/tls-check.json" count)" = "" ] || [ "$(rep get "$tmp/tls-check.json" count)" = 0 ]; then
    tls_ok=0
    anomaly "tls: no /_ping answered over the TLS listener 127.0.0.1:$tport: $(rep get "$tmp/tls-check.json" first_error) $(tail -2 "$tmp/tls-check.json.err" | tr '\n' ' ')"
  fi
fi
if want tls && [ "$tls_ok" = 1 ]; then
  say "== tls: bench/tlsping.py (one python3 thread, epoll) against the gateway's plaintext listener :$gport and its mutual-TLS listener :$tport (client certificate of tenant 'bench'), ${BENCH_SECONDS}s each (warm-up ${BENCH_WARMUP_SECONDS}s each first)"
  say "   a: new connection each (TLS: a full TLS 1.3 handshake, no resumption) + GET /_ping + close, $BENCH_TLS_CONCURRENCY in flight"
  say "   b: GET /_ping over $BENCH_CONNECTIONS keep-alive connections (opened before the window), one request at a time on each"
  if (( BENCH_WARMUP_SECONDS > 0 )); then
    for m in conn keepalive; do
      tp "$tmp/tls-warm-$m-plain.json" "$m" "$BENCH_WARMUP_SECONDS" "$gport"
      tp "$tmp/tls-warm-$m-tls.json" "$m" "$BENCH_WARMUP_SECONDS" "$tport" "${tls_args[@]}"
    done
  fi
  for m in conn keepalive; do
    tp "$tmp/tls-$m-plain.json" "$m" "$BENCH_SECONDS" "$gport"
    tp "$tmp/tls-$m-tls.json" "$m" "$BENCH_SECONDS" "$tport" "${tls_args[@]}"
  done
  f1() { local v; v=$(rep get "$1" "$2"); [ -z "$v" ] && echo - || py -c "print(f'{float(\"$v\"):.${3:-1}f}')"; }
  declare -A tv=()
  for m in conn keepalive; do
    for side in plain tls; do
      f="$tmp/tls-$m-$side.json"
      what="tls $m $side"
      if [ ! -s "$f" ]; then anomaly "$what: client failed: $(tail -3 "$f.err" | tr '\n' ' ')"; continue; fi
      cnt=$(rep get "$f" count); errs=$(rep get "$f" errors); bad=$(rep get "$f" bad_status)
      [ "$cnt" != 0 ] || anomaly "$what: no request completed ($(rep get "$f" first_error))"
      [ "$errs" = 0 ] || anomaly "$what: $errs connection errors, first: $(rep get "$f" first_error)"
      [ "$bad" = 0 ] || anomaly "$what: $bad non-200 responses (statuses $(rep get "$f" statuses))"
      if [ "$side" = tls ]; then
        [ "$(rep get "$f" tls_version)" = TLSv1.3 ] || anomaly "$what: negotiated $(rep get "$f" tls_version), not TLSv1.3"
        [ "$(rep get "$f" resumed)" = 0 ] || anomaly "$what: $(rep get "$f" resumed) handshakes were resumptions"
      fi
      if [ "$m" = keepalive ] && [ "$(rep get "$f" opened)" != "$BENCH_CONNECTIONS" ]; then
        anomaly "$what: opened $(rep get "$f" opened) of $BENCH_CONNECTIONS connections"
      fi
      tv[$m-$side-rate]=$(f1 "$f" rate_per_s); tv[$m-$side-p50]=$(f1 "$f" p50_ms 3); tv[$m-$side-p99]=$(f1 "$f" p99_ms 3)
      tv[$m-$side-gcpu]=$(f1 "$f" pid_cpu_us_per_op); tv[$m-$side-ccpu]=$(f1 "$f" client_cpu_us_per_op)
      unit=conn/s; [ "$m" = keepalive ] && unit=req/s
      per=request; [ "$m" = conn ] && per=connection
      extra=""; [ "$side" = tls ] && extra=", $(rep get "$f" tls_version) $(rep get "$f" cipher), $(rep get "$f" handshakes) handshakes"
      say "   $m $side: ${tv[$m-$side-rate]} $unit, p50 ${tv[$m-$side-p50]} ms, p99 ${tv[$m-$side-p99]} ms; CPU per $per: gateway ${tv[$m-$side-gcpu]} us, client ${tv[$m-$side-ccpu]} us ($(rep get "$f" count) in $(rep get "$f" seconds) s$extra)"
    done
  done
  say "   new connection each: conn/s ratio $(ratio "${tv[conn-plain-rate]:-}" "${tv[conn-tls-rate]:-}")x, p50 ratio $(ratio "${tv[conn-plain-p50]:-}" "${tv[conn-tls-p50]:-}")x, p99 ratio $(ratio "${tv[conn-plain-p99]:-}" "${tv[conn-tls-p99]:-}")x (tls/plain)"
  say "   keep-alive: req/s ratio $(ratio "${tv[keepalive-plain-rate]:-}" "${tv[keepalive-tls-rate]:-}")x, p50 ratio $(ratio "${tv[keepalive-plain-p50]:-}" "${tv[keepalive-tls-p50]:-}")x (tls/plain)"
  say "   (the client shares the 2 cores: its CPU per operation is shown so the gateway's share can be read off)"
  echo "@through the gateway: direct column = its plaintext listener, gateway column = its mutual-TLS listener, gw/direct = tls/plain (bench/tlsping.py for both)" >>"$results"
  row "TLS handshake + /_ping, new connection each, $BENCH_TLS_CONCURRENCY in flight" "conn/s" "${tv[conn-plain-rate]:-}" "${tv[conn-tls-rate]:-}" higher "" "tls/plain"
  row "TLS handshake + /_ping, new connection each, p50" "ms" "${tv[conn-plain-p50]:-}" "${tv[conn-tls-p50]:-}" lower "" "tls/plain"
  row "TLS handshake + /_ping, new connection each, p99" "ms" "${tv[conn-plain-p99]:-}" "${tv[conn-tls-p99]:-}" lower "" "tls/plain"
  row "gateway CPU per new connection + /_ping" "us" "${tv[conn-plain-gcpu]:-}" "${tv[conn-tls-gcpu]:-}" lower "" "tls/plain"
  row "/_ping over keep-alive TLS, $BENCH_CONNECTIONS connections" "req/s" "${tv[keepalive-plain-rate]:-}" "${tv[keepalive-tls-rate]:-}" higher "" "tls/plain"
  row "/_ping over keep-alive TLS, p50" "ms" "${tv[keepalive-plain-p50]:-}" "${tv[keepalive-tls-p50]:-}" lower "" "tls/plain"
  row "gateway CPU per keep-alive /_ping" "us" "${tv[keepalive-plain-gcpu]:-}" "${tv[keepalive-tls-gcpu]:-}" lower "" "tls/plain"
fi

# ---- summary -----------------------------------------------------------------------------------
if ! kill -0 "$gw_pid" 2>/dev/null; then anomaly "the gateway process exited during the run (see its log)"; fi
gw_errors=$(grep -ciE 'SEVERE|Exception' "$tmp/gateway.log" || true)
[ "${gw_errors:-0}" = 0 ] || anomaly "gateway log has $gw_errors SEVERE/Exception lines; first: $(grep -iE -m1 'SEVERE|Exception' "$tmp/gateway.log" | cut -c1-200)"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$bench/results"
{
  echo "Portcullis benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z'), $(nproc) cores, kernel $(uname -r)"
  echo "$jar_info; dockerd $engine ($storage); all loopback; direct = $direct_host, gateway = $gw_host (mutual TLS on 127.0.0.1:$tport)"
  echo "machine idle before each part (2 s sample, our processes idle):$idle_log; load average $load_start at start, $load_end at end"
  echo "settings: BENCH_SECONDS=$BENCH_SECONDS (wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS, warm-up ${BENCH_WARMUP_SECONDS}s) BENCH_STREAM_MB=$BENCH_STREAM_MB BENCH_UPLOAD_MB=$BENCH_UPLOAD_MB BENCH_STREAM_REPS=$BENCH_STREAM_REPS BENCH_RUNS=$BENCH_RUNS BENCH_SESSIONS=$BENCH_SESSIONS BENCH_TLS_CONCURRENCY=$BENCH_TLS_CONCURRENCY BENCH_ONLY=$BENCH_ONLY${BENCH_RUN_ARGS:+ BENCH_RUN_ARGS=\"$BENCH_RUN_ARGS\"}"
  echo
  rep table "$results"
  if [ ${#anomalies[@]} -gt 0 ]; then
    echo
    echo "anomalies:"
    for a in "${anomalies[@]}"; do echo "  - $a"; done
  fi
} >"$bench/results/latest.txt"
echo
echo "================================ summary ================================"
cat "$bench/results/latest.txt"
