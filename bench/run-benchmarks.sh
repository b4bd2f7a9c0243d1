#!/usr/bin/env bash
# Runs the imprint-loadgen scenarios against a local `imprint serve` (temporary CA and
# SQLite registry, optionally PostgreSQL) and prints one Markdown table.
# See docs/BENCHMARKS.md.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: bench/run-benchmarks.sh [options]

  --build-dir DIR      build directory, already configured (default: build)
  --no-build           do not build imprint and imprint-loadgen first
  --imprint PATH       the imprint executable (default: BUILD_DIR/app/imprint)
  --loadgen PATH       the load generator (default: BUILD_DIR/bench/loadgen/imprint-loadgen)
  --port N             listen port (default 0: any free port, as printed by the server)
  --server-threads N   imprint serve --threads N (default: the server's default)
  --connections N      load generator connections (default 20)
  --duration D         measured time per scenario (default 5s)
  --warmup D           unmeasured time before each scenario (default 1s)
  --tls 1.2|1.3        TLS version the load generator offers (default 1.3)
  --scenarios "..."    default "enroll device-keepalive device-newconn renew"; a name may
                       carry load generator switches after a colon, comma-separated,
                       e.g. device-newconn:resume (imprint-loadgen --resume)
  --server-cpus LIST   pin the server with taskset -c LIST (e.g. 0)
  --loadgen-cpus LIST  pin the load generator with taskset -c LIST (e.g. 1)

Environment:
  IMPRINT_BENCH_POSTGRES_URL   also run every scenario against this PostgreSQL registry
                               (postgresql://user:pass@127.0.0.1/db; use a scratch
                               database: the run enrolls thousands of devices into it)
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$root/build"
do_build=1
imprint=""
loadgen=""
port=0
server_threads=""
connections=20
duration=5s
warmup=1s
tls=1.3
scenarios="enroll device-keepalive device-newconn renew"
server_cpus=""
loadgen_cpus=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build-dir) build_dir=$(cd "$2" && pwd); shift 2 ;;
        --no-build) do_build=0; shift ;;
        --imprint) imprint=$2; shift 2 ;;
        --loadgen) loadgen=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --server-threads) server_threads=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --tls) tls=$2; shift 2 ;;
        --scenarios) scenarios=$2; shift 2 ;;
        --server-cpus) server_cpus=$2; shift 2 ;;
        --loadgen-cpus) loadgen_cpus=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-benchmarks.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
imprint=${imprint:-$build_dir/app/imprint}
loadgen=${loadgen:-$build_dir/bench/loadgen/imprint-loadgen}

if [[ $do_build -eq 1 ]]; then
    cmake --build "$build_dir" --target imprint imprint-loadgen >&2
fi
for exe in "$imprint" "$loadgen"; do
    [[ -x $exe ]] || { echo "run-benchmarks.sh: $exe is not an executable (build it or pass its path)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/imprint-bench.XXXXXX")
server_pid=""
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret"

# Command prefix pinning to a CPU list (taskset execs, so a background job's $! stays
# the pid of the program itself).
pin_prefix() {
    if [[ -n $1 ]]; then echo "taskset -c $1"; fi
}

# start_server LABEL DB_URL: starts `imprint serve`, sets server_pid and server_url.
start_server() {
    local label=$1 db=$2 log="$work/serve-$1.log"
    local args=(serve --listen "127.0.0.1:$port" --ca-dir "$work/ca-$label" --db "$db" --secret-file "$work/secret")
    [[ -n $server_threads ]] && args+=(--threads "$server_threads")
    # shellcheck disable=SC2046
    $(pin_prefix "$server_cpus") "$imprint" "${args[@]}" > "$log" 2>&1 &
    server_pid=$!
    server_url=""
    for _ in $(seq 1 300); do
        server_url=$(sed -n 's/.*listening on *\(https:\/\/[^ ]*\).*/\1/p' "$log" | head -n 1)
        [[ -n $server_url ]] && break
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "run-benchmarks.sh: imprint serve ($label) exited during start:" >&2
            cat "$log" >&2
            server_pid=""
            return 1
        fi
        sleep 0.1
    done
    if [[ -z $server_url ]]; then
        echo "run-benchmarks.sh: imprint serve ($label) printed no 'listening on' line within 30 s:" >&2
        cat "$log" >&2
        return 1
    fi
    if [[ $server_url == *:0 ]]; then
        echo "run-benchmarks.sh: the server did not report its port; pass --port N" >&2
        return 1
    fi
}

stop_server() {
    [[ -n $server_pid ]] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# run_round LABEL DB_URL: all scenarios against one fresh server, one table row each.
run_round() {
    local label=$1 db=$2 scenario name rc row switch
    local -a switches
    start_server "$label" "$db" || return 1
    echo "run-benchmarks.sh: $label: $server_url (pid $server_pid)" >&2
    for scenario in $scenarios; do
        name=${scenario%%:*}
        switches=()
        if [[ $scenario == *:* ]]; then
            IFS=, read -ra parts <<<"${scenario#*:}"
            for switch in "${parts[@]}"; do switches+=("--$switch"); done
        fi
        set +e
        # shellcheck disable=SC2046
        row=$($(pin_prefix "$loadgen_cpus") "$loadgen" --url "$server_url" --ca-file "$work/ca-$label/ca.crt" \
                  --secret-file "$work/secret" --scenario "$name" --connections "$connections" \
                  --duration "$duration" --warmup "$warmup" --tls "$tls" --server-pid "$server_pid" --markdown \
                  "${switches[@]}")
        rc=$?
        set -e
        if [[ $rc -eq 0 || $rc -eq 2 ]]; then
            [[ ${#switches[@]} -gt 0 ]] && row=${row/| $name |/| $name ${switches[*]} |}
            echo "| $label $row"
        else
            echo "run-benchmarks.sh: $label/$scenario failed (exit $rc)" >&2
            echo "| $label | $scenario | failed, see stderr |"
        fi
    done
    stop_server
}

echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), $(uname -sr)"
echo "connections $connections, duration $duration, warmup $warmup, TLS $tls"
echo
header=$("$loadgen" --markdown-header)
echo "| db $(sed -n 1p <<<"$header")"
echo "|---$(sed -n 2p <<<"$header")"
run_round sqlite "$work/registry.db"
if [[ -n ${IMPRINT_BENCH_POSTGRES_URL:-} ]]; then
    run_round postgres "$IMPRINT_BENCH_POSTGRES_URL"
fi
