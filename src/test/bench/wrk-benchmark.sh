#!/usr/bin/env bash
# Load benchmark of a running Latchkey server, driven by wrk over loopback.
#
#   src/test/bench/wrk-benchmark.sh
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 src/test/bench/wrk-benchmark.sh
#   DUR=2 CONNS=8 src/test/bench/wrk-benchmark.sh          # quick check of the script itself
#
# What it does, in order:
#   1. builds the server jar if it is missing, and the test classes and their classpath for the floors;
#   2. creates a fresh PostgreSQL database latchkey_wrk_<random> on 127.0.0.1:5432 (user postgres, trust
#      authentication) and drops it at the end, also on failure and on Ctrl-C;
#   3. measures the floors (RS256 signatures/s, bcrypt cost-12 checks/s, 1 thread and one per core) in a
#      JVM of its own on the server's JDK, before the server runs, so that the two do not share the cores;
#   4. starts the jar with JAVA_HOME's java, configured by environment variables only, bound to 127.0.0.1,
#      and measures the time until discovery first answers;
#   5. for each connection count in CONNS runs, each after a warm-up: client_credentials, password grant,
#      introspection, userinfo, JWKS, refresh with rotation (one refresh-token chain per connection) and,
#      last, one refresh token presented again and again (a reuse-detection test: all non-2xx expected);
#   6. reads the server's resident memory and counts ERROR and WARN lines in its log, stops it (SIGTERM);
#   7. writes a markdown report to OUT and prints it.
#
# Settings (environment variables):
#   JAVA_HOME        JDK that runs the server and the floors (default /usr/lib/jvm/java-17-openjdk-amd64).
#                    On Java 21 and newer the server runs its request threads on virtual threads.
#   CONNS            connection counts; every scenario runs at each (default "64 8")
#   DUR              timed phase of each scenario, seconds (default 10)
#   WARMUP           warm-up before each timed phase, seconds (default 3)
#   SETTLE           longest wait between warm-up and timed phase, seconds (default 15): wrk drops its
#                    connections at the end of the warm-up, but the server still works off the requests in
#                    flight (up to one bcrypt check per connection in the password grant, seconds of CPU at
#                    64 connections), which would otherwise eat into the timed phase. The script waits until
#                    the server's CPU use falls under 10% of a core, for at most this long.
#   PORT             server port on 127.0.0.1 (default 9100); must be free
#   OUT              report file (default target/wrk-benchmark-jdk<N>-<date>.md; a relative path is taken
#                    from the repository root, where the script works)
#   JVM_ARGS         JVM flags of the server (default: RECOMMENDED_JVM_ARGS below)
#   FLOOR_SECONDS    timed phase of each of the four floor measurements (default 3)
#   VIRTUAL_THREADS  true/false, only used on Java 21+ (default true)
#   JIT_WARMUP       seconds of unmeasured load on each endpoint before the first round (default 20), so
#                    that every round measures compiled code
#   ONLY             space-separated scenario names to run (default: all), e.g. "client_credentials userinfo"
#   CLASS_CACHE      true (default): start the server as the README recommends, from the extracted jar with a
#                    class-data cache made by a training run (CDS archive on Java 17, AOT cache on Java 25);
#                    false: plain java -jar
#
# Needs wrk, curl, jq, psql and a local PostgreSQL. Every target is 127.0.0.1; every wrk run has -d and an
# outer time-out, and every wait has a limit, so the run time is bounded: about 7 x (WARMUP + DUR) s per
# connection count plus the waits for the server to go idle (at most SETTLE each), the password grants that
# start the refresh chains (two per connection, ~0.25 s of bcrypt each), the floors (5 x FLOOR_SECONDS) and
# start-up. With the defaults, about 5 minutes on an otherwise idle 2-core machine.

set -euo pipefail
shopt -s inherit_errexit # functions run in $(...) stop at a failure too

# JVM flags the server is benchmarked with unless JVM_ARGS says otherwise: the README's recommended flags.
# (The class-data cache flag is added by the script when CLASS_CACHE is true, see prepare_class_cache.)
RECOMMENDED_JVM_ARGS="-Xms64m -Xmx192m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=5000"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BENCH_DIR="$ROOT/src/test/bench"
cd "$ROOT"

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
CONNS=${CONNS:-64 8}
DUR=${DUR:-10}
WARMUP=${WARMUP:-3}
SETTLE=${SETTLE:-15}
CLASS_CACHE=${CLASS_CACHE:-true}
JIT_WARMUP=${JIT_WARMUP:-20}
PORT=${PORT:-9100}
JVM_ARGS=${JVM_ARGS:-$RECOMMENDED_JVM_ARGS}
FLOOR_SECONDS=${FLOOR_SECONDS:-3}
VIRTUAL_THREADS=${VIRTUAL_THREADS:-true}
ONLY=${ONLY:-}

JAR=target/latchkey-0.1.0-SNAPSHOT.jar
CLASSPATH_FILE=target/bench-classpath.txt
SERVER_LOG=target/bench-server.log
WRK_TIMEOUT=2s
BASE_URL="http://127.0.0.1:$PORT"
CLIENT_ID=bench
ADMIN_EMAIL=admin@localhost
SCOPE="openid profile email"

# Set while they exist, so that cleanup() removes exactly what this run made.
DB_NAME=""
SERVER_PID=""

log() { printf '[wrk-benchmark %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
urlencode() { jq -rn --arg v "$1" '$v|@uri'; }
psql_admin() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# ---------------------------------------------------------------------------------------------------------
# Clean-up: runs on every exit (normal, error, Ctrl-C), so no server or database outlives the run.

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping the server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # a graceful shutdown finishes in-flight requests; give it 30 s, then insist
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "the server did not stop within 30 s; killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  if [ -n "$DB_NAME" ]; then
    log "dropping database $DB_NAME"
    psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" || log "could not drop database $DB_NAME"
    DB_NAME=""
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------
# Preparation

check_prerequisites() {
  local tool
  for tool in wrk curl jq psql od base64 timeout; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
  [ -x "$JAVA_HOME/bin/java" ] || die "no java at $JAVA_HOME/bin/java (set JAVA_HOME)"
  local c
  for c in $CONNS; do
    [[ "$c" =~ ^[1-9][0-9]*$ ]] || die "CONNS must be positive integers, got '$CONNS'"
  done
  [[ "$DUR" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[1-9][0-9]*$ && "$SETTLE" =~ ^[0-9]+$ ]] ||
    die "DUR, WARMUP and SETTLE must be whole seconds"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "PORT must be a number"
  # someone else's server on the port would be benchmarked instead of ours
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT on 127.0.0.1 is already in use; choose another with PORT="
  fi
  psql_admin -c "SELECT 1" >/dev/null || die "PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres"
}

# Sets JAVA_FEATURE (17, 25, ...) and JAVA_DESCRIPTION from the JDK itself.
describe_jdk() {
  local props
  props=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1)
  prop() { awk -F' = ' -v k="    $1" '$1 == k { print $2; exit }' <<<"$props"; }
  local spec runtime vendor
  spec=$(prop java.specification.version)
  runtime=$(prop java.runtime.version)
  vendor=$(prop java.vendor)
  JAVA_FEATURE=${spec#1.}
  JAVA_DESCRIPTION="$runtime ($vendor), $JAVA_HOME"
  [[ "$JAVA_FEATURE" =~ ^[0-9]+$ ]] || die "could not read the Java version of $JAVA_HOME"
}

build_if_needed() {
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    ./mvnw -q -DskipTests package >&2
  elif [ -n "$(find src/main pom.xml -newer "$JAR" -type f -print -quit)" ]; then
    log "note: sources are newer than $JAR; this run benchmarks the jar as built (delete it to rebuild)"
  fi
  local floors_class=target/test-classes/io/latchkey/bench/Floors.class
  if [ ! -f "$floors_class" ] || [ src/test/java/io/latchkey/bench/Floors.java -nt "$floors_class" ]; then
    log "compiling the test classes (for the floors)"
    ./mvnw -q -DskipTests test-compile >&2
  fi
  if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
    log "writing the test classpath to $CLASSPATH_FILE"
    ./mvnw -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test >&2
  fi
}

create_database() {
  DB_NAME="latchkey_wrk_$(random_hex 6)"
  log "creating database $DB_NAME"
  psql_admin -c "CREATE DATABASE $DB_NAME"
}

# Sets FLOOR_THREADS, FLOOR_RS256_ONE, FLOOR_RS256_ALL, FLOOR_BCRYPT_ONE, FLOOR_BCRYPT_ALL.
measure_floors() {
  log "measuring the floors on Java $JAVA_FEATURE (about $((FLOOR_SECONDS * 5)) s)"
  local line
  line=$("$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
    io.latchkey.bench.Floors "$FLOOR_SECONDS" | grep '^FLOORS ') || die "the floor measurement failed"
  local -A f=()
  local pair
  for pair in ${line#FLOORS }; do f[${pair%%=*}]=${pair#*=}; done
  FLOOR_THREADS=${f[threads]} FLOOR_RS256_ONE=${f[rs256_one]} FLOOR_RS256_ALL=${f[rs256_all]}
  FLOOR_BCRYPT_ONE=${f[bcrypt_one]} FLOOR_BCRYPT_ALL=${f[bcrypt_all]}
  log "floors: RS256 $FLOOR_RS256_ONE/s (1 thread), $FLOOR_RS256_ALL/s ($FLOOR_THREADS); bcrypt-12 $FLOOR_BCRYPT_ONE/s, $FLOOR_BCRYPT_ALL/s"
}

# ---------------------------------------------------------------------------------------------------------
# The server

# Fresh secrets for every run: they live only in this process's memory and the server's environment.
make_secrets() {
  CLIENT_SECRET="wrk-$(random_hex 16)"
  ADMIN_PASSWORD="wrk bench $(random_hex 12)"
  MASTER_KEY="$(head -c 32 /dev/urandom | base64 -w0)"
  CLIENT_AUTH=$(printf '%s' "$CLIENT_ID:$CLIENT_SECRET" | base64 -w0)
}

# Sets SERVER_ENV: the server's whole configuration, as environment variables.
server_environment() {
  SERVER_ENV=(
    LATCHKEY_PORT="$PORT"
    LATCHKEY_ISSUER="$BASE_URL"
    SERVER_ADDRESS=127.0.0.1 # loopback only: nothing outside this machine can reach the benchmark server
    LATCHKEY_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB_NAME"
    LATCHKEY_DB_USER=postgres
    LATCHKEY_DB_PASSWORD=
    LATCHKEY_MASTER_KEY="$MASTER_KEY"
    LATCHKEY_BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL"
    LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD"
    LATCHKEY_CLIENTS_BENCH_SECRET="$CLIENT_SECRET"
    LATCHKEY_CLIENTS_BENCH_GRANT_TYPES=client_credentials,password,refresh_token
    LATCHKEY_CLIENTS_BENCH_SCOPES=openid,profile,email,api.read
    # every simulated user comes from 127.0.0.1: per-IP sign-in limits would otherwise throttle wrk itself
    # (per-account limits stay on; the benchmark never fails a sign-in)
    LATCHKEY_RATE_LIMIT_EXEMPT_ADDRESSES=127.0.0.1
    # the README's recommendation: glibc's malloc otherwise keeps an arena per thread, tens of MB of RSS
    MALLOC_ARENA_MAX=2
  )
  if [ "$JAVA_FEATURE" -ge 21 ]; then
    SERVER_ENV+=(SPRING_THREADS_VIRTUAL_ENABLED="$VIRTUAL_THREADS")
    VTHREADS_NOTE="virtual threads: $VIRTUAL_THREADS"
  else
    VTHREADS_NOTE="virtual threads: n/a (Java $JAVA_FEATURE has none; platform threads)"
  fi
}

# The README's start-up recipe: the jar extracted, and a class-data cache made by a training run that starts
# the application context once and exits (it also migrates the database and makes the first signing key, as
# a first start would). Java 17 keeps a CDS archive (-XX:SharedArchiveFile), Java 25 an AOT cache
# (-XX:AOTCache). Sets RUN_JAR and CACHE_ARGS.
prepare_class_cache() {
  RUN_JAR=$JAR
  CACHE_ARGS=""
  [ "$CLASS_CACHE" = true ] || return 0
  local app=target/bench-app
  rm -rf "$app"
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$app" >/dev/null
  RUN_JAR="$app/$(basename "$JAR")"
  local train cache
  if [ "$JAVA_FEATURE" -ge 25 ]; then
    cache="$app/latchkey.aot"; train="-XX:AOTCacheOutput=$cache"; CACHE_ARGS="-XX:AOTCache=$cache"
  else
    cache="$app/latchkey.jsa"; train="-XX:ArchiveClassesAtExit=$cache"; CACHE_ARGS="-XX:SharedArchiveFile=$cache -Xlog:cds=off"
  fi
  log "training run for the class-data cache ($cache)"
  env "${SERVER_ENV[@]}" timeout 300 "$JAVA_HOME/bin/java" $train -Dspring.context.exit=onRefresh -jar "$RUN_JAR" \
    >target/bench-cache-training.log 2>&1 || die "the class-data cache training run failed; see target/bench-cache-training.log"
}

# Starts the jar in the background and waits for discovery. Sets SERVER_PID, STARTUP_MS.
start_server() {
  local jvm_args
  read -r -a jvm_args <<<"$JVM_ARGS $CACHE_ARGS"
  log "starting the server on $BASE_URL (Java $JAVA_FEATURE, $JVM_ARGS, $VTHREADS_NOTE); log in $SERVER_LOG"
  local started_ns
  started_ns=$(date +%s%N)
  # env execs java, so $! is the JVM's own pid (for /proc/PID/status and SIGTERM)
  env "${SERVER_ENV[@]}" "$JAVA_HOME/bin/java" "${jvm_args[@]}" -jar "$RUN_JAR" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!

  # Poll discovery every 50 ms; start-up time is from the fork to the first 200.
  local deadline=$((SECONDS + 180))
  while :; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$SERVER_LOG" >&2 || true
      die "the server exited during start-up; see $SERVER_LOG"
    fi
    if curl -fs -o /dev/null --max-time 1 "$BASE_URL/.well-known/openid-configuration"; then
      break
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "the server did not answer discovery within 180 s; see $SERVER_LOG"
    sleep 0.05
  done
  STARTUP_MS=$((($(date +%s%N) - started_ns) / 1000000))
  RSS_STARTED=$(rss_mib VmRSS)
  log "server up after $STARTUP_MS ms (RSS $RSS_STARTED MiB)"
}

# Reads the endpoints from discovery and refuses anything that is not this loopback server.
read_endpoints() {
  local discovery
  discovery=$(curl -fsS --max-time 5 "$BASE_URL/.well-known/openid-configuration")
  TOKEN_URL=$(jq -r '.token_endpoint // ""' <<<"$discovery")
  INTROSPECT_URL=$(jq -r '.introspection_endpoint // ""' <<<"$discovery")
  USERINFO_URL=$(jq -r '.userinfo_endpoint // ""' <<<"$discovery")
  JWKS_URL=$(jq -r '.jwks_uri // ""' <<<"$discovery")
  local url
  for url in "$TOKEN_URL" "$INTROSPECT_URL" "$USERINFO_URL" "$JWKS_URL"; do
    [[ "$url" == "$BASE_URL/"* ]] || die "discovery names an endpoint outside $BASE_URL: '$url'"
  done
}

# CPU time the server has used so far, in clock ticks (utime + stime in /proc/PID/stat).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# Waits until the server has used under 10% of one core for two 0.25 s intervals in a row, at most SETTLE s.
wait_until_idle() {
  local started=$SECONDS started_ns quiet=0 before after
  local limit=$(($(getconf CLK_TCK) / 40)) # 10% of 0.25 s
  started_ns=$(date +%s%N)
  before=$(cpu_ticks)
  while [ $((SECONDS - started)) -lt "$SETTLE" ]; do
    sleep 0.25
    after=$(cpu_ticks)
    if [ $((after - before)) -le "$limit" ]; then
      quiet=$((quiet + 1))
      if [ "$quiet" -ge 2 ]; then
        log "  server idle after $((($(date +%s%N) - started_ns) / 1000000)) ms"
        return 0
      fi
    else
      quiet=0
    fi
    before=$after
  done
  log "  the server was still busy after ${SETTLE} s; going on"
}

rss_mib() { # VmRSS or VmHWM of the server, in MiB
  awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

# One password grant for the admin user; prints the token response (JSON). Each costs one bcrypt check.
# Tries three times: right after a load phase the server may still be busy and answer 503 for a moment.
password_grant() {
  local attempt response
  for attempt in 1 2 3; do
    response=$(curl -sS --max-time 30 -H "Authorization: Basic $CLIENT_AUTH" \
      --data-urlencode grant_type=password --data-urlencode "username=$ADMIN_EMAIL" \
      --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "scope=$SCOPE" "$TOKEN_URL" || true)
    if [ -n "$(jq -r '.refresh_token // empty' <<<"$response" 2>/dev/null)" ]; then
      printf '%s' "$response"
      return 0
    fi
    sleep 1
  done
  die "the password grant failed three times; last answer: ${response:0:200}"
}

# Prints N refresh tokens, comma-separated, from N password grants one after another.
refresh_chains() {
  local n=$1 tokens="" i response
  for ((i = 0; i < n; i++)); do
    response=$(password_grant)
    tokens+="${tokens:+,}$(jq -r '.refresh_token' <<<"$response")"
  done
  printf '%s' "$tokens"
}

# ---------------------------------------------------------------------------------------------------------
# Scenarios

# run_scenario NAME CONNS THREADS LUA URL [VAR=value ...]
# Runs wrk twice with the given environment for the Lua script: WARMUP s (discarded), then, once the
# server is idle again, DUR s, and appends a row to the current table. The refresh-rotation scenario gives
# each run chains of its own.
run_scenario() {
  local name=$1 c=$2 t=$3 lua=$4 url=$5
  shift 5
  if [ -n "$ONLY" ] && [[ " $ONLY " != *" $name "* ]]; then return 0; fi
  log "$name at $c connections: ${WARMUP} s warm-up, then ${DUR} s timed"
  local tokens result
  if [ "$name" = refresh_rotating ]; then
    # each run needs chains nobody has used: the warm-up's are spent (rotated) by the time it ends.
    # (Assignments on their own line, so that a failure in the command substitution stops the script.)
    log "  $c password grants for the warm-up's refresh chains (~$((c / 4 + 1)) s of bcrypt)"
    tokens=$(refresh_chains "$c")
    run_wrk "$c" "$t" "$lua" "$url" "$WARMUP" "$@" TOKENS="$tokens" >/dev/null
    wait_until_idle
    log "  $c password grants for the timed run's refresh chains"
    tokens=$(refresh_chains "$c")
    wait_until_idle
    result=$(run_wrk "$c" "$t" "$lua" "$url" "$DUR" "$@" TOKENS="$tokens")
  else
    run_wrk "$c" "$t" "$lua" "$url" "$WARMUP" "$@" >/dev/null
    wait_until_idle
    result=$(run_wrk "$c" "$t" "$lua" "$url" "$DUR" "$@")
  fi
  add_row "$name" "$result"
}

# run_wrk CONNS THREADS LUA URL SECONDS [VAR=value ...]: prints wrk's RESULT line (empty if wrk failed).
run_wrk() {
  local c=$1 t=$2 lua=$3 url=$4 secs=$5
  shift 5
  [[ "$url" == "$BASE_URL/"* ]] || die "refusing to load anything but $BASE_URL: $url"
  # -d bounds the run; timeout is a second fence in case wrk hangs on a connection that never closes
  # (--foreground keeps wrk in our process group, so that Ctrl-C reaches it at once)
  env "$@" timeout --foreground $((secs + 30)) wrk -t"$t" -c"$c" -d"${secs}s" --timeout "$WRK_TIMEOUT" \
    -s "$BENCH_DIR/$lua" "$url" 2>&1 | grep '^RESULT ' || true
}

TABLE=""
add_row() {
  local name=$1 line=$2
  if [ -z "$line" ]; then
    log "  $name: wrk gave no result"
    TABLE+="| $name | wrk failed | | | | | | |"$'\n'
    return
  fi
  local -A r=()
  local pair
  for pair in ${line#RESULT }; do r[${pair%%=*}]=${pair#*=}; done
  # Non-2xx: exact where the Lua script counted 2xx answers, otherwise wrk's own count (status >= 400).
  local non2xx ok
  if [ "${r[ok2xx]}" -ge 0 ]; then
    ok=${r[ok2xx]}
    non2xx=$((r[requests] - ok))
  else
    non2xx=${r[status_errors]}
    ok=$((r[requests] - non2xx))
  fi
  local row
  row=$(awk -v name="$name" -v req="${r[requests]}" -v us="${r[duration_us]}" -v ok="$ok" \
    -v p50="${r[p50_us]}" -v p99="${r[p99_us]}" -v non2xx="$non2xx" -v chains="${r[broken_chains]}" \
    -v statuses="${r[statuses]}" -v errs="${r[connect]}/${r[read]}/${r[write]}/${r[timeout]}" 'BEGIN {
      s = us / 1e6
      # which statuses the non-2xx were, where the Lua script counted them: "503:12,400:1" -> "503: 12, 400: 1"
      detail = statuses == "-" ? "" : statuses
      gsub(/:/, ": ", detail); gsub(/,/, ", ", detail)
      if (chains > 0) detail = detail (detail == "" ? "" : "; ") chains " chains broken"
      printf "| %s | %.1f | %.1f | %.2f | %.2f | %s | %d%s | %d |", name, req / s, ok / s, p50 / 1000,
        p99 / 1000, errs, non2xx, (detail == "" ? "" : " (" detail ")"), req
    }')
  log "  $row"
  TABLE+="$row"$'\n'
}

# All scenarios at one connection count; sets TABLE.
# Before anything is measured: every endpoint under load for JIT_WARMUP s, so that the JIT has compiled the
# hot paths. Without it the first round (64 connections) measured a half-compiled server and the second a
# warm one: on 2 cores the compiler threads compete with the load for a minute or more.
warm_up_jit() {
  [ "$JIT_WARMUP" -gt 0 ] || return 0
  log "JIT warm-up: client_credentials, introspection, userinfo, JWKS, refresh, ${JIT_WARMUP} s each, not measured"
  local response access
  response=$(password_grant)
  access=$(jq -r '.access_token // ""' <<<"$response")
  [ -n "$access" ] || die "the password grant gave no access token"
  run_wrk 16 2 request.lua "$TOKEN_URL" "$JIT_WARMUP" METHOD=POST BODY="grant_type=client_credentials" \
    AUTH="$CLIENT_AUTH" >/dev/null
  run_wrk 16 2 request.lua "$INTROSPECT_URL" "$JIT_WARMUP" METHOD=POST BODY="token=$(urlencode "$access")" \
    AUTH="$CLIENT_AUTH" >/dev/null
  run_wrk 16 2 request.lua "$USERINFO_URL" "$JIT_WARMUP" METHOD=GET BEARER="$access" >/dev/null
  run_wrk 16 2 request.lua "$JWKS_URL" "$JIT_WARMUP" METHOD=GET >/dev/null
  local tokens
  tokens=$(refresh_chains 8)
  run_wrk 8 8 refresh-rotate.lua "$TOKEN_URL" "$JIT_WARMUP" AUTH="$CLIENT_AUTH" TOKENS="$tokens" >/dev/null
  wait_until_idle
}

run_round() {
  local c=$1
  local t=$((c < 2 ? c : 2))
  TABLE=""
  # A login of its own for this round: the reuse flood at the end of the previous round revoked the last one.
  local response access refresh
  response=$(password_grant)
  access=$(jq -r '.access_token // ""' <<<"$response")
  refresh=$(jq -r '.refresh_token' <<<"$response")
  [ -n "$access" ] || die "the password grant gave no access token"

  local pw_body
  pw_body="grant_type=password&username=$(urlencode "$ADMIN_EMAIL")&password=$(urlencode "$ADMIN_PASSWORD")"
  pw_body+="&scope=$(urlencode "$SCOPE")"

  run_scenario client_credentials "$c" "$t" request.lua "$TOKEN_URL" \
    METHOD=POST BODY="grant_type=client_credentials" AUTH="$CLIENT_AUTH"
  run_scenario password_grant "$c" "$t" request.lua "$TOKEN_URL" \
    METHOD=POST BODY="$pw_body" AUTH="$CLIENT_AUTH" COUNT_STATUS=1
  run_scenario introspection "$c" "$t" request.lua "$INTROSPECT_URL" \
    METHOD=POST BODY="token=$(urlencode "$access")" AUTH="$CLIENT_AUTH"
  run_scenario userinfo "$c" "$t" request.lua "$USERINFO_URL" METHOD=GET BEARER="$access"
  run_scenario jwks "$c" "$t" request.lua "$JWKS_URL" METHOD=GET
  # one chain per connection, one connection per wrk thread, as in the team's shared scenario
  run_scenario refresh_rotating "$c" "$c" refresh-rotate.lua "$TOKEN_URL" AUTH="$CLIENT_AUTH"
  # Last: the same refresh token again and again. Reuse detection revokes the login at the second
  # presentation, so everything after the warm-up's first request is expected to be 400.
  # (statuses counted, to show that they are reuse rejections, 400, and not overload, 503)
  run_scenario refresh_reused "$c" "$t" request.lua "$TOKEN_URL" \
    METHOD=POST BODY="grant_type=refresh_token&refresh_token=$(urlencode "$refresh")" AUTH="$CLIENT_AUTH" \
    COUNT_STATUS=1
}

# ---------------------------------------------------------------------------------------------------------
# Report

TABLE_HEADER='| Scenario | requests/s | 2xx/s | p50 ms | p99 ms | errors c/r/w/t | non-2xx | requests |
|---|---:|---:|---:|---:|---:|---:|---:|'

write_report() {
  local cpu mem_gib pg_version commit
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
  pg_version=$(psql_admin -c "SHOW server_version")
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit+=" (with uncommitted changes)"; fi

  {
    echo "# Latchkey wrk benchmark: Java $JAVA_FEATURE"
    echo
    echo "- Date: $RUN_DATE"
    echo "- Machine: $(nproc) cores ($cpu), $mem_gib GiB memory; load average at start: $LOAD_AT_START"
    echo "- JDK: $JAVA_DESCRIPTION; $VTHREADS_NOTE"
    echo "- Server JVM args: \`$JVM_ARGS $CACHE_ARGS\`"
    echo "- Latchkey commit $commit; PostgreSQL $pg_version on 127.0.0.1:5432; $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "- Before the rounds: ${JIT_WARMUP} s of unmeasured load on each endpoint (JIT warm-up)."
    echo "- Each scenario: ${WARMUP} s warm-up, a wait (at most ${SETTLE} s) until the server's CPU use is" \
      "under 10% of a core, then ${DUR} s timed;" \
      "\`wrk -t2 -cN --timeout $WRK_TIMEOUT\`" \
      "(refresh with rotation: \`-tN -cN\`, one refresh-token chain per connection)"
    echo
    echo "## Floors"
    echo
    echo "Measured before the server started, in a JVM of their own on the same JDK (default JVM flags)," \
      "${FLOOR_SECONDS} s each."
    echo
    echo "| Operation | 1 thread | $FLOOR_THREADS threads |"
    echo "|---|---:|---:|"
    echo "| RS256 signatures/s (2048-bit key) | $FLOOR_RS256_ONE | $FLOOR_RS256_ALL |"
    echo "| bcrypt cost-12 checks/s | $FLOOR_BCRYPT_ONE | $FLOOR_BCRYPT_ALL |"
    echo
    echo "## Start-up"
    echo
    echo "$STARTUP_MS ms from process start to the first 200 from \`/.well-known/openid-configuration\`" \
      "(polled every 50 ms); RSS then: $RSS_STARTED MiB."
    local c
    for c in $CONNS; do
      echo
      echo "## $c connections"
      echo
      echo "$TABLE_HEADER"
      printf '%s' "${ROUND_TABLES[$c]}"
    done
    echo
    echo "Columns: 2xx/s is successful answers per second (for password_grant: successful sign-ins/s)." \
      "errors are wrk's connect/read/write/timeout counts; wrk counts a time-out (no answer within" \
      "$WRK_TIMEOUT) each time it checks a waiting connection, every 2 s, and records no latency for such" \
      "answers, so p99 is at most $WRK_TIMEOUT; requests still unanswered when the run ends are counted" \
      "nowhere. non-2xx is counted exactly, with its status codes, for password_grant," \
      "refresh_rotating and refresh_reused (in Lua); for the others it is wrk's count of answers with status" \
      "400 or above. refresh_reused presents one refresh token again and again: reuse detection revokes the" \
      "login, so all non-2xx (400) is the expected result."
    echo
    echo "## Server after the load"
    echo
    echo "- Resident memory (VmRSS): $RSS_AFTER MiB; peak (VmHWM): $RSS_PEAK MiB"
    echo "- Log ($SERVER_LOG): $LOG_ERRORS lines with \` ERROR \`, $LOG_WARNS lines with \` WARN \`"
  } >"$OUT"
}

# ---------------------------------------------------------------------------------------------------------

main() {
  check_prerequisites
  describe_jdk
  OUT=${OUT:-target/wrk-benchmark-jdk$JAVA_FEATURE-$(date +%Y%m%d-%H%M%S).md}
  RUN_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  build_if_needed
  mkdir -p "$(dirname "$OUT")"
  create_database
  measure_floors
  make_secrets
  server_environment
  prepare_class_cache
  start_server
  read_endpoints
  warm_up_jit

  declare -gA ROUND_TABLES=()
  local c
  for c in $CONNS; do
    run_round "$c"
    ROUND_TABLES[$c]=$TABLE
  done

  RSS_AFTER=$(rss_mib VmRSS)
  RSS_PEAK=$(rss_mib VmHWM)
  LOG_ERRORS=$(grep -c ' ERROR ' "$SERVER_LOG" || true)
  LOG_WARNS=$(grep -c ' WARN ' "$SERVER_LOG" || true)
  stop_server

  write_report
  log "report written to $OUT"
  cat "$OUT"
}

main "$@"
