#!/usr/bin/env bash
# Interoperability with the Go reference library (github.com/dvstc/imprint), on the wire
# and on disk, in both directions. Not part of CTest: it needs a Go toolchain and a
# checkout of the reference, and CI has neither (docs/INTEROP.md).
#
#   tests/interop/run-interop.sh --reference DIR [--imprint PATH] [--with-expiry]
#
# --reference DIR  a checkout of github.com/dvstc/imprint
# --imprint PATH   the imprint executable (default: build/app/imprint)
# --with-expiry    also renew after expiry (tier 2) both ways; waits ~25 s per direction
#
# Everything listens on 127.0.0.1 and lives in a temporary directory. Prints one line per
# check and exits 1 if any failed.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
reference=""
imprint="$here/../../build/app/imprint"
with_expiry=0
while [ $# -gt 0 ]; do
    case "$1" in
        --reference) reference="$2"; shift 2 ;;
        --imprint) imprint="$2"; shift 2 ;;
        --with-expiry) with_expiry=1; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-interop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$reference" ] || [ ! -f "$reference/go.mod" ]; then
    echo "run-interop.sh: --reference must name a checkout of github.com/dvstc/imprint" >&2
    exit 2
fi
reference="$(cd "$reference" && pwd)"
imprint="$(cd "$(dirname "$imprint")" && pwd)/$(basename "$imprint")"
[ -x "$imprint" ] || { echo "run-interop.sh: $imprint is not executable" >&2; exit 2; }
command -v go >/dev/null || { echo "run-interop.sh: no Go toolchain (go) on PATH" >&2; exit 2; }
command -v openssl >/dev/null || { echo "run-interop.sh: openssl is needed for the CA pin" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/imprint-interop.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    echo "logs and stores: $work"
}
trap cleanup EXIT

# --- build the Go programs against the reference checkout ---------------------------
mkdir -p "$work/harness/bin"
cp -r "$here/goserver" "$here/goclient" "$work/harness/"
cat > "$work/harness/go.mod" <<EOF
module imprint.interop/harness

go 1.19

require github.com/dvstc/imprint v0.0.0

replace github.com/dvstc/imprint => $reference
EOF
# -mod=mod lets go add the reference's own requirements (from the module cache or proxy).
if ! (cd "$work/harness" && go build -mod=mod -o bin/ ./goserver ./goclient >"$work/go-build.log" 2>&1); then
    echo "run-interop.sh: building against the reference failed:" >&2
    cat "$work/go-build.log" >&2
    exit 2
fi
goserver="$work/harness/bin/goserver"
goclient="$work/harness/bin/goclient"

failures=0
# check NAME EXPECTED-SUBSTRING COMMAND...: runs COMMAND; passes when it exits 0 and its
# output contains EXPECTED-SUBSTRING (an empty one matches anything).
check() {
    local name="$1" expected="$2"
    shift 2
    local log="$work/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').log"
    if "$@" >"$log" 2>&1 && grep -qF -- "$expected" "$log"; then
        echo "PASS  $name"
    else
        echo "FAIL  $name (output: $log)"
        failures=$((failures + 1))
    fi
}
# refused NAME EXPECTED-SUBSTRING COMMAND...: passes when COMMAND fails with that text.
refused() {
    local name="$1" expected="$2"
    shift 2
    local log="$work/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').log"
    if ! "$@" >"$log" 2>&1 && grep -qF -- "$expected" "$log"; then
        echo "PASS  $name"
    else
        echo "FAIL  $name (output: $log)"
        failures=$((failures + 1))
    fi
}
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for_port() {
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "run-interop.sh: nothing listens on port $1" >&2
    return 1
}
pin_of() { echo "sha256:$(openssl x509 -in "$1" -outform der | sha256sum | cut -d' ' -f1)"; }

# start_goserver NAME CA-DIR [flags...]: starts the Go service; its port is left in $port.
start_goserver() {
    local name="$1" ca_dir="$2"
    shift 2
    port="$(free_port)"
    "$goserver" -listen "127.0.0.1:$port" -ca-dir "$ca_dir" -secret "$go_secret" "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    wait_for_port "$port" || exit 2
}
# start_imprint NAME [flags...]: starts `imprint serve` on a fresh CA and database; its
# port is left in $port.
start_imprint() {
    local name="$1"
    shift
    port="$(free_port)"
    "$imprint" serve --listen "127.0.0.1:$port" --ca-dir "$work/$name-ca" \
        --db "sqlite://$work/$name.db" --secret-file "$work/ours-secret" "$@" >"$work/$name.log" 2>&1 &
    pids+=($!)
    wait_for_port "$port" || exit 2
}

go_secret="go-reference-secret"
echo "$go_secret" >"$work/go-secret"
echo "imprint-interop-secret" >"$work/ours-secret"

# --- 1. our device, the Go service ----------------------------------------------------
goca="$work/goca"
mkdir -p "$goca"
start_goserver goserver-chain "$goca" -send-ca-in-chain
chain_port="$port"
start_goserver goserver-leaf "$goca"
leaf_port="$port"
gopin="$(pin_of "$goca/ca.crt")"
ours_vs_go="$work/store-ours-vs-go"

check "ours->go: enroll with the CA pin (service sends its CA)" "server_id" \
    "$imprint" enroll --url "https://127.0.0.1:$chain_port" --ca-pin "$gopin" \
    --store-dir "$ours_vs_go" --secret-file "$work/go-secret"
check "ours->go: guarded request with the device certificate" "status: 200" \
    "$imprint" request --store-dir "$ours_vs_go" "https://127.0.0.1:$chain_port/api/v1/device"
check "ours->go: tier-1 renewal" "action: renewed" \
    "$imprint" renew --url "https://127.0.0.1:$chain_port" --store-dir "$ours_vs_go" --force
check "ours->go: guarded request with the renewed certificate" "status: 200" \
    "$imprint" request --store-dir "$ours_vs_go" "https://127.0.0.1:$chain_port/api/v1/device"
check "ours->go: enroll with the CA file (service sends its certificate alone)" "server_id" \
    "$imprint" enroll --url "https://127.0.0.1:$leaf_port" --ca-file "$goca/ca.crt" \
    --store-dir "$work/store-ours-vs-go-leaf" --secret-file "$work/go-secret"
refused "ours->go: a pin cannot be checked when the service sends no CA" "without the CA certificate" \
    "$imprint" enroll --url "https://127.0.0.1:$leaf_port" --ca-pin "$gopin" \
    --store-dir "$work/store-ours-vs-go-pin" --secret-file "$work/go-secret"

# --- 2. the Go device, our service ----------------------------------------------------
start_imprint ours
our_port="$port"
go_vs_ours="$work/store-go-vs-ours"
check "go->ours: enroll" "ENROLLED" \
    "$goclient" enroll -url "https://127.0.0.1:$our_port" -ca-file "$work/ours-ca/ca.crt" \
    -secret "imprint-interop-secret" -store-dir "$go_vs_ours"
check "go->ours: the registry lists the device" "go-ref-device" \
    "$imprint" devices list --db "sqlite://$work/ours.db" --json
check "go->ours: guarded request" "HTTP 200" \
    "$goclient" request -store-dir "$go_vs_ours" "https://127.0.0.1:$our_port/api/v1/device"
check "go->ours: tier-1 renewal" "RENEWED" \
    "$goclient" renew -url "https://127.0.0.1:$our_port" -store-dir "$go_vs_ours"
check "go->ours: guarded request with the renewed certificate" "HTTP 200" \
    "$goclient" request -store-dir "$go_vs_ours" "https://127.0.0.1:$our_port/api/v1/device"

# --- 3. each side's store read by the other -------------------------------------------
check "disk: imprint status reads the Go device's store" "valid" \
    "$imprint" status --store-dir "$go_vs_ours"
check "disk: imprint request uses the Go device's store" "status: 200" \
    "$imprint" request --store-dir "$go_vs_ours" "https://127.0.0.1:$our_port/api/v1/device"
check "disk: the Go library loads the store imprint wrote" "LoadTLS error: <nil>" \
    "$goclient" status -store-dir "$ours_vs_go"
check "disk: the Go library's request uses the store imprint wrote" "HTTP 200" \
    "$goclient" request -store-dir "$ours_vs_go" "https://127.0.0.1:$chain_port/api/v1/device"

# --- 4. after expiry: the signed challenge (tier 2) -----------------------------------
if [ "$with_expiry" = 1 ]; then
    shortca="$work/goca-short"
    mkdir -p "$shortca"
    start_goserver goserver-short "$shortca" -send-ca-in-chain -validity 20s
    short_go="$port"
    start_imprint ours-short --validity 20s
    short_ours="$port"
    check "ours->go (tier 2): enroll with a 20 s certificate" "server_id" \
        "$imprint" enroll --url "https://127.0.0.1:$short_go" --ca-pin "$(pin_of "$shortca/ca.crt")" \
        --store-dir "$work/store-t2-ours" --secret-file "$work/go-secret"
    check "go->ours (tier 2): enroll with a 20 s certificate" "ENROLLED" \
        "$goclient" enroll -url "https://127.0.0.1:$short_ours" -ca-file "$work/ours-short-ca/ca.crt" \
        -secret "imprint-interop-secret" -store-dir "$work/store-t2-go"
    # Both services use the real clock, so the certificates have to really expire.
    sleep 25
    check "ours->go (tier 2): renew after expiry" "challenge_renewed" \
        "$imprint" renew --url "https://127.0.0.1:$short_go" --store-dir "$work/store-t2-ours"
    check "go->ours (tier 2): renew after expiry" "CHALLENGE_RENEWED" \
        "$goclient" challenge -url "https://127.0.0.1:$short_ours" -ca-file "$work/ours-short-ca/ca.crt" \
        -store-dir "$work/store-t2-go"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
