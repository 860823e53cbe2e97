#!/usr/bin/env bash
# Benchmark of the environment server (`pools serve`, issue 11), on loopback with wrk.
#
#   bench/server.sh                      # from the repository's root
#   bench/server.sh --users 60 --duration 10 --connections 16 --no-build
#   bench/server.sh --breakdown          # also GET /healthz and /readyz, and POST /v1/login at -c2
#   bench/server.sh --rounds 5           # each comparison's two sides alternated 5 times (3)
#
# Measures, one after the other (nothing else of this script runs meanwhile):
#   1. a bare axum handler (crates/pools-server/examples/bare_axum.rs), GET of a small JSON
#      array on the same runtime, no layers: the baseline;
#   2. GET /v1/pools of `pools serve` (three export pools; admin token);
#      (1 and 2 alternated --rounds times: the machine may be shared, so the verdict compares
#      the means of runs taken side by side);
#   3. the raw argon2id verify rate on 2 threads (crates/pools-core/examples/argon2_rate.rs:
#      the store's parameters, the library's own verify path);
#   4. POST /v1/login of migrated users (login token), cycling through them: every user was
#      migrated by a first login through its export pool (bcrypt -> argon2id with the store's
#      parameters, R13) before the timed run, so each timed login is a local user's argon2id
#      verify, as a migrated user's login is; then the raw rate again (4 repeated --rounds
#      times: the logins are compared with the mean of every raw run around them).
# and prints requests/s, p50 and p99 of each, with the targets as PASS/FAIL verdicts:
#   GET /v1/pools  >= 50% of the bare handler's rate;
#   POST /v1/login >= 90% of the raw argon2id verify rate.
# It also prints the CPU time (user + system) per request of the process answering (from
# /proc), and of one raw verify: a login costing no more CPU than a verify but slower is
# waiting on something, not working.
# It asserts nothing: it exits 0 whatever the verdicts, non-zero only when something broke.
# Installs wrk with apt-get when it is missing (Debian's package).
set -euo pipefail

users=60
duration=10
connections=16
threads=2
build=1
breakdown=0
rounds=3
while (($#)); do
    case "$1" in
    --users) users=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --breakdown) breakdown=1; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/server.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

if [[ ! -f Cargo.toml || ! -x bench/server.sh ]]; then
    echo "bench/server.sh: run it from the repository's root" >&2
    exit 2
fi
for tool in curl awk base64; do
    command -v "$tool" >/dev/null || { echo "bench/server.sh: needs $tool" >&2; exit 2; }
done
if ! command -v wrk >/dev/null; then
    echo "== installing wrk (apt-get)" >&2
    apt-get update && apt-get install -y wrk
fi

target=${CARGO_TARGET_DIR:-target}/release
if ((build)); then
    echo "== cargo build --release" >&2
    cargo build --release --locked --bin pools --example bare_axum --example argon2_rate
fi
pools=$target/pools
for bin in "$pools" "$target/examples/bare_axum" "$target/examples/argon2_rate"; do
    [[ -x $bin ]] || { echo "bench/server.sh: $bin is missing (run without --no-build)" >&2; exit 2; }
done

tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

export POOLS_STORE=$tmp/pools.db
export NO_PROXY=127.0.0.1,localhost
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy

# Three export pools, the users spread over them. Every user has the same published bcrypt
# hash of "hello" (cost 10, as bench/gen-export uses); the migration rehashes each with its
# own salt.
bcrypt_hello='$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K'
password=hello
for p in a b c; do
    echo "email,password_hash" >"$tmp/users-$p.csv"
done
ids=()
letters=(a b c)
for ((i = 0; i < users; i++)); do
    p=${letters[i % 3]}
    id="user$i@bench.example.com"
    ids+=("$id")
    echo "$id,$bcrypt_hello" >>"$tmp/users-$p.csv"
done
for p in a b c; do
    "$pools" --no-input -q create "bench-$p" --type external --source export \
        --file "$tmp/users-$p.csv" --mode jit --tenant auto >/dev/null
done
admin_token=$("$pools" --no-input -q serve token create --role admin --name bench-admin | tail -n1)
login_token=$("$pools" --no-input -q serve token create --role login --name bench-login | tail -n1)

# Starts "$@" in the background with its stdout in $1's file; sets $addr from its
# `listening on ADDR` line.
start() {
    local out=$1
    shift
    "$@" >"$out" 2>"$out.err" &
    pids+=($!)
    local pid=$!
    for _ in $(seq 600); do
        if grep -q '^listening on ' "$out"; then
            addr=$(sed -n 's/^listening on //p' "$out")
            return
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench/server.sh: $1 stopped before listening:" >&2
            cat "$out.err" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "bench/server.sh: $1 did not listen within 60 s" >&2
    exit 1
}

POOLS_SERVER_KEY=$(head -c 32 /dev/urandom | base64) start "$tmp/server.out" \
    "$pools" --no-input serve --listen 127.0.0.1:0 \
    --login-rate-per-identifier 1000000 --login-rate-per-client 1000000
server=$addr
server_pid=${pids[-1]}
start "$tmp/bare.out" "$target/examples/bare_axum" 0
bare=$addr
# The router is built (the refusal floor measured) after `listening on`: wait for an answer.
for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://$server/healthz" && break
    sleep 0.1
done

login_body() { printf '{"identifier":"%s","password":"%s"}' "$1" "$password"; }

# The first login of each user migrates it (JIT, R3): not timed.
echo "== migrating $users users by a first POST /v1/login" >&2
for id in "${ids[@]}"; do
    code=$(curl -sS -o "$tmp/login.json" -w '%{http_code}' -X POST "http://$server/v1/login" \
        -H "Authorization: Bearer $login_token" -H 'Content-Type: application/json' \
        --data-binary "$(login_body "$id")")
    if [[ $code != 200 ]]; then
        echo "bench/server.sh: the first login of $id answered $code:" >&2
        cat "$tmp/login.json" >&2
        exit 1
    fi
done
if ! grep -q '"origin":"migrated"' "$tmp/login.json"; then
    echo "bench/server.sh: a first login did not migrate the user:" >&2
    cat "$tmp/login.json" >&2
    exit 1
fi

# wrk scripts: the token from the environment (not on a command line); done() prints one
# machine-readable line.
cat >"$tmp/report.lua" <<'EOF'
function done(summary, latency, requests)
    io.write(string.format("BENCH rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d errors=%d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
        summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF
cat >"$tmp/get.lua" <<'EOF'
local token = os.getenv("BENCH_TOKEN")
if token then
    wrk.headers["Authorization"] = "Bearer " .. token
end
EOF
cat "$tmp/report.lua" >>"$tmp/get.lua"
{
    echo 'local ids = {'
    printf '  "%s",\n' "${ids[@]}"
    echo '}'
    cat <<EOF
local password = "$password"
EOF
    cat <<'EOF'
local token = os.getenv("BENCH_TOKEN")
-- Each thread starts at another user, then takes the next one at each request.
local threads = 0
counter = 0
function setup(thread)
    thread:set("counter", threads * 17)
    threads = threads + 1
end
function request()
    local id = ids[(counter % #ids) + 1]
    counter = counter + 1
    local body = string.format('{"identifier":"%s","password":"%s"}', id, password)
    return wrk.format("POST", "/v1/login", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }, body)
end
EOF
    cat "$tmp/report.lua"
} >"$tmp/login.lua"

results=()
ticks=$(getconf CLK_TCK)
# The CPU time (user + system) of process $1 so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# bench NAME URL LUA [TOKEN [PID [CONNECTIONS]]]: runs wrk, prints its report, keeps
# "NAME BENCH rps=.. p50_ms=.. p99_ms=.. ... cpu_ms=.." (cpu_ms: PID's CPU time per request).
bench() {
    local name=$1 url=$2 lua=$3 token=${4:-} pid=${5:-} conns=${6:-$connections}
    echo
    echo "== $name: wrk -t$threads -c$conns -d${duration}s --latency $url"
    local before=0 after=0
    [[ -n $pid ]] && before=$(cpu_ticks "$pid")
    BENCH_TOKEN=$token wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$lua" "$url" \
        | tee "$tmp/wrk.out" | grep -v '^BENCH '
    [[ -n $pid ]] && after=$(cpu_ticks "$pid")
    local line
    line=$(grep '^BENCH ' "$tmp/wrk.out") || { echo "bench/server.sh: wrk gave no report" >&2; exit 1; }
    local cpu=-
    if [[ -n $pid ]]; then
        cpu=$(awk -v d=$((after - before)) -v t="$ticks" -v l="$line" 'BEGIN {
            split(l, f, /[ =]/); for (i = 1; i in f; i++) if (f[i] == "requests") n = f[i + 1]
            printf "%.3f", (n > 0) ? 1000 * d / t / n : 0 }')
    fi
    results+=("$name $line cpu_ms=$cpu")
}

# raw_rate: one run of the raw verify rate; appends "RATE CPU_MS_PER_VERIFY" to $raws.
raws=()
raw_rate() {
    echo
    echo "== raw argon2id verify rate, 2 threads, ${duration} s"
    local TIMEFORMAT='%U %S'
    { time "$target/examples/argon2_rate" 2 "$duration" >"$tmp/raw.out"; } 2>"$tmp/raw.time"
    cat "$tmp/raw.out"
    local rate n
    rate=$(sed -n 's|^argon2id verify: \([0-9.]*\)/s (\([0-9]*\) verifies.*|\1|p' "$tmp/raw.out")
    n=$(sed -n 's|^argon2id verify: \([0-9.]*\)/s (\([0-9]*\) verifies.*|\2|p' "$tmp/raw.out")
    [[ -n $rate && -n $n ]] || { echo "bench/server.sh: argon2_rate gave no rate" >&2; exit 1; }
    raws+=("$rate $(awk -v n="$n" '{ printf "%.3f", (n > 0) ? 1000 * ($1 + $2) / n : 0 }' "$tmp/raw.time")")
}

# The machine may be shared (a VM's neighbours come and go): each comparison alternates its
# two sides, --rounds times, and compares their means.
bare_pid=${pids[-1]}
for ((r = 1; r <= rounds; r++)); do
    bench "bare axum GET #$r" "http://$bare/v1/pools" "$tmp/get.lua" "" "$bare_pid"
    bench "GET /v1/pools #$r" "http://$server/v1/pools" "$tmp/get.lua" "$admin_token" "$server_pid"
done
if ((breakdown)); then
    bench "GET /healthz" "http://$server/healthz" "$tmp/get.lua" "" "$server_pid"
    bench "GET /readyz" "http://$server/readyz" "$tmp/get.lua" "" "$server_pid"
fi
# The raw rate before the first login run and after each one; the logins are compared
# with the mean of them all.
raw_rate
for ((r = 1; r <= rounds; r++)); do
    bench "POST /v1/login #$r" "http://$server/v1/login" "$tmp/login.lua" "$login_token" "$server_pid"
    raw_rate
done
if ((breakdown)); then
    bench "POST /v1/login c2" "http://$server/v1/login" "$tmp/login.lua" "$login_token" "$server_pid" 2
fi
raw=$(printf '%s\n' "${raws[@]}" | awk '{ t += $1; n++ } END { printf "%.1f", t / n }')

field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
echo
echo "== summary (loopback, $(nproc) cores, wrk -t$threads -c$connections -d${duration}s; $users migrated users)"
printf '%-18s %12s %10s %10s %8s %12s\n' what requests/s p50_ms p99_ms non-2xx cpu_ms/req
for i in "${!raws[@]}"; do
    printf '%-18s %12s %10s %10s %8s %12s\n' "argon2id verify #$((i + 1))" "${raws[i]% *}" - - - "${raws[i]#* }"
done
declare -A rps
for r in "${results[@]}"; do
    name=${r%% BENCH *}
    rest=" ${r#* BENCH }"
    rps[$name]=$(field "$rest" rps)
    printf '%-18s %12s %10s %10s %8s %12s\n' "$name" "${rps[$name]}" "$(field "$rest" p50_ms)" \
        "$(field "$rest" p99_ms)" "$(field "$rest" non2xx)" "$(sed -n 's/.* cpu_ms=\([0-9.-]*\).*/\1/p' <<<"$rest")"
    if [[ $(field "$rest" non2xx) != 0 || $(field "$rest" errors) != 0 ]]; then
        echo "  warning: $name had non-2xx answers or socket errors (see wrk's report above)"
    fi
done
verdict() { # NAME VALUE BASE TARGET_FRACTION BASE_NAME
    awk -v n="$1" -v v="$2" -v b="$3" -v t="$4" -v bn="$5" 'BEGIN {
        r = (b > 0) ? v / b : 0
        printf "%s: %.1f%% of %s (target >= %d%%): %s\n", n, 100 * r, bn, 100 * t, (r >= t) ? "PASS" : "FAIL"
    }'
}
# mean NAME: the mean requests/s of the runs "NAME #1" .. "NAME #rounds".
mean() {
    local r
    for ((r = 1; r <= rounds; r++)); do echo "${rps[$1 #$r]}"; done |
        awk '{ t += $1; n++ } END { printf "%.1f", t / n }'
}
bare_mean=$(mean "bare axum GET")
pools_mean=$(mean "GET /v1/pools")
login_mean=$(mean "POST /v1/login")
echo
verdict "GET /v1/pools" "$pools_mean" "$bare_mean" 0.5 \
    "the bare axum handler (means of $rounds alternating runs: $pools_mean vs $bare_mean req/s)"
verdict "POST /v1/login" "$login_mean" "$raw" 0.9 \
    "the raw argon2id verify rate (means: $login_mean vs $raw/s, 2 threads)"
