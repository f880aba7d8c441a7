#!/usr/bin/env bash
# realtime-sync benchmark: every workload of the shared suite (../shared/bench, beside this checkout) beside its
# physical limit, measured in the same run on fresh local servers. See bench/README.md.
#
#   bench/run.sh [--source pg|mariadb|both] [--workloads W1,W2,W3,W4] [--n N] [--count C] [--tables T]
#                [--streams K] [--seed S] [--w3-rate R] [--w3-seconds S] [--w4-rows M] [--timeout S] [--java-opts "..."]
#
#   --source X      pg (PostgreSQL -> PostgreSQL), mariadb (MariaDB -> PostgreSQL and MariaDB -> MariaDB) or both (default;
#                   with W1 also PostgreSQL -> MariaDB)
#   --workloads L   comma-separated subset of W1,W2,W3,W4 (default all; the full load always runs, untimed without W1)
#   --n N           rows in orders (default 2000000)
#   --count C       W2 single-row changes (default 200000)
#   --tables T      tables in the task: orders plus T-1 small copies t001.. of 300 rows (default 1; try 100)
#   --streams K     client sessions that produce W2/W3 (drive.sh; default 4)
#   --seed S        first W2 seed (default 1; W3 uses the next seeds)
#   --w3-rate R     W3 changes per second (default 1000)   --w3-seconds S  W3 duration (default 60)
#   --w4-rows M     rows of the W4 transaction (default 1000000, at most N)
#   --timeout S     bound for every wait (default 1800 s)
#   --ceiling       W2: also time Debezium's capture alone on the same backlog (a route that only counts), without and
#                   with its transaction records
#   --java-opts O   JVM options for the sync (default -Xmx1g, or $JAVA_OPTS)
#   --run-args A    more arguments for the sync's `run` command (e.g. "--http off")
#   --poll-api C    W2: what polling the operator API costs the sync, in the same run: two more backlogs, one
#                   drained while C calls (task and tables status alternating, 100/s) are made, one idle
#
# Prints progress on stderr and the summary on stdout (also saved in $BENCH_WORK/results/, by default work/ beside this
# script). The jar under test is
# $BENCH_JAR if set, else target/realtime-sync.jar (built only when missing). Exit status: 0 when every phase
# finished and every verify printed MATCH, 1 otherwise, 2 on bad usage.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
WL="${BENCH_WORKLOAD:-$ROOT/../shared/bench}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
WORK_ROOT="${BENCH_WORK:-$BENCH/work}"
WORK="$WORK_ROOT/run"
RESULTS="$WORK_ROOT/results"
JAR_SRC="${BENCH_JAR:-$ROOT/target/realtime-sync.jar}"
ARGS="$*"

N=2000000; COUNT=200000; STREAMS=4; SEED=1; TIMEOUT=1800; JOPTS="${JAVA_OPTS:--Xmx1g}"
SOURCES=both; WORKLOADS=W1,W2,W3,W4; TABLES=1; CEILING=0; W3_RATE=1000; W3_SECONDS=60; W4_ROWS=1000000
RUN_ARGS=""; POLL_API=0; POLLING=0; W2_AGAIN=""; W2_DRAIN_RATE=""; W2_DRAIN_CPU=""; RSS_GOAL=512; W3_GOAL=250; EXTRA_ROWS=300
usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N="${2:?--n N}"; shift 2;;
    --count) COUNT="${2:?--count C}"; shift 2;;
    --streams) STREAMS="${2:?--streams K}"; shift 2;;
    --seed) SEED="${2:?--seed S}"; shift 2;;
    --timeout) TIMEOUT="${2:?--timeout S}"; shift 2;;
    --java-opts) JOPTS="${2?--java-opts OPTS}"; shift 2;;
    --source) SOURCES="${2:?--source pg|mariadb|both}"; shift 2;;
    --workloads) WORKLOADS="$(echo "${2:?--workloads W1,W2,W3,W4}" | tr 'a-z' 'A-Z')"; shift 2;;
    --tables) TABLES="${2:?--tables T}"; shift 2;;
    --w3-rate) W3_RATE="${2:?--w3-rate R}"; shift 2;;
    --w3-seconds) W3_SECONDS="${2:?--w3-seconds S}"; shift 2;;
    --w4-rows) W4_ROWS="${2:?--w4-rows M}"; shift 2;;
    --ceiling) CEILING=1; shift;;
    --run-args) RUN_ARGS="${2?--run-args ARGS}"; shift 2;;
    --poll-api) POLL_API="${2:?--poll-api CALLS}"; shift 2;;
    -h|--help) usage; exit 0;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2;;
  esac
done
for v in N COUNT STREAMS SEED TIMEOUT TABLES W3_RATE W3_SECONDS W4_ROWS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 -o "$v" = SEED ] || { echo "run.sh: $v must be a positive integer" >&2; exit 2; }
done
[ "$TABLES" -le 1000 ] || { echo "run.sh: --tables is at most 1000" >&2; exit 2; }
case "$SOURCES" in pg|mariadb|both) ;; *) echo "run.sh: --source must be pg, mariadb or both" >&2; exit 2;; esac
[[ "$WORKLOADS" =~ ^(W[1-4])(,W[1-4])*$ ]] || { echo "run.sh: --workloads takes a list like W1,W3" >&2; exit 2; }
want() { [[ ",$WORKLOADS," == *",$1,"* ]]; }
want_src() { [ "$SOURCES" = both ] || [ "$SOURCES" = "$1" ]; }
[ "$EXTRA_ROWS" -le "$N" ] || EXTRA_ROWS=$N

# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"
# shellcheck source=lib/servers.sh
. "$BENCH/lib/servers.sh"
# shellcheck source=lib/targets.sh
. "$BENCH/lib/targets.sh"
# shellcheck source=lib/phases.sh
. "$BENCH/lib/phases.sh"

T_SCRIPT=$(now)
FAILURES=()
SYNC_PID=""; SAMPLER_PID=""; HELPER_PIDS=(); STARTED_CLUSTERS=(); SYNC_LOG=""; SYNC_TASK=""
export PGPASSWORD=bench PGUSER=postgres PGCONNECT_TIMEOUT=10
# The sync's operator API: where --run-args puts it (--http HOST:PORT), with a token of this run for --poll-api.
API_ADDR="$(echo " $RUN_ARGS " | sed -n 's/.* --http \([^ ]*\) .*/\1/p')"; API_ADDR="${API_ADDR:-127.0.0.1:8089}"
export REALTIME_SYNC_TOKEN="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if [ "$POLL_API" -gt 0 ] && [ "$API_ADDR" = off ]; then echo "run.sh: --poll-api needs the operator API; --run-args turns it off" >&2; exit 2; fi

FINISHED=""
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ -z "$FINISHED" ] && [ -n "${RUN_RESULTS:-}" ] && declare -F summary >/dev/null; then
    # Stopped before the end (an error in this script, Ctrl-C): still print what was measured.
    FAILURES+=("run.sh stopped before the end (status $rc); see the progress log on stderr")
    FINISHED=1; summary
    [ "$rc" -ne 0 ] || rc=1
  fi
  for p in "${HELPER_PIDS[@]}" $SAMPLER_PID; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  if [ -n "$SYNC_PID" ] && alive "$SYNC_PID"; then
    log "cleanup: stopping realtime-sync (pid $SYNC_PID)"
    kill -TERM "$SYNC_PID" 2>/dev/null
    for _ in $(seq 1 300); do alive "$SYNC_PID" || break; sleep 0.2; done
    alive "$SYNC_PID" && kill -KILL "$SYNC_PID" 2>/dev/null
    wait "$SYNC_PID" 2>/dev/null
  fi
  for m in mdbrep mdbsrc mdbtgt; do v="MARIADB_PID_$m"; [ -n "${!v:-}" ] && { log "cleanup: stopping mariadbd $m"; stop_mariadb "$m"; }; done
  for c in "${STARTED_CLUSTERS[@]}"; do log "cleanup: stopping cluster $c"; stop_cluster "$c"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- 1. prerequisites
apt_install() {  # apt_install PACKAGE...: Debian packages, when missing
  log "installing with apt-get: $*"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >&2 || { echo "run.sh: apt-get install $* failed" >&2; exit 1; }
}
[ -x "$PGBIN/postgres" ] || apt_install postgresql-15
if want_src mariadb; then
  command -v mariadbd >/dev/null && command -v mariadb-dump >/dev/null || apt_install mariadb-server mariadb-client
  if want W1; then command -v pgloader >/dev/null || apt_install pgloader; fi
fi
for tool in psql pg_dump java timeout runuser awk ss; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
[ -x "$WL/gen.sh" ] || { echo "run.sh: workload not found at $WL (set BENCH_WORKLOAD)" >&2; exit 1; }
if [ ! -f "$JAR_SRC" ]; then
  [ -z "${BENCH_JAR:-}" ] || { echo "run.sh: BENCH_JAR=$BENCH_JAR does not exist" >&2; exit 1; }
  log "building target/realtime-sync.jar (mvn -q -B -o package -DskipTests): it is missing"
  (cd "$ROOT" && mvn -q -B -o package -DskipTests) >&2 || exit 1
fi

# A previous run that was killed may have left its servers running: stop those (only servers under $WORK).
for c in source target; do stop_cluster "$c"; done
for pf in "$WORK"/*/mysqld.pid; do
  [ -f "$pf" ] || continue
  p="$(cat "$pf")"
  if grep -qF -- "$WORK" "/proc/$p/cmdline" 2>/dev/null; then log "stopping mariadbd $p left by an earlier run"; kill -TERM "$p"; for _ in $(seq 1 150); do alive "$p" || break; sleep 0.2; done; fi
done
RUN_RESULTS="$RESULTS/$(date -u +%Y%m%dT%H%M%SZ)-n$N"
rm -rf "$WORK"; mkdir -p "$WORK" "$RUN_RESULTS"
# The work folder ignores itself, wherever it is (by default beside this script, inside the checkout).
[ -f "$WORK_ROOT/.gitignore" ] || echo "*" > "$WORK_ROOT/.gitignore"
chmod 755 "$WORK_ROOT" "$WORK"
# Run a private copy of the jar and the tasks: the repository may be rebuilt or edited while the benchmark runs.
cp "$JAR_SRC" "$WORK/realtime-sync.jar"
for f in postgres-to-postgres mysql-to-postgres mysql-to-mysql; do cp "$ROOT/examples/$f.yaml" "$WORK/$f.yaml"; done
# PostgreSQL -> MariaDB: the same example under its own task name, slot and publication, beside the PostgreSQL task.
sed -e 's/postgres-to-postgres/postgres-to-mariadb/g' \
    -e 's/^\( *\)schemaIncludeList: public$/&\n\1slotName: realtime_sync_pm\n\1publicationName: realtime_sync_pm/' \
    "$ROOT/examples/postgres-to-postgres.yaml" > "$WORK/postgres-to-mariadb.yaml"
JAR_INFO="$JAR_SRC, $(stat -c '%y' "$JAR_SRC" | cut -d. -f1), sha256 $(sha256sum "$WORK/realtime-sync.jar" | cut -c1-12)"
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
RUN_START_UTC="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

( while :; do echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/loadavg)"; sleep 2; done ) > "$WORK/loadavg.tsv" &
HELPER_PIDS+=($!)
foreign() { ps -eo pid=,comm= | awk '$2 == "java" || $2 == "postgres" || $2 == "mariadbd" || $2 == "mysqld" {print $2}' | sort | uniq -c | tr -s ' ' | paste -sd, -; }
FOREIGN_START="$(foreign)"; FOREIGN_START="${FOREIGN_START:-none}"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- 2. servers
alloc_port PGT_PORT
if want_src pg; then alloc_port PGS_PORT; fi
log "PostgreSQL target cluster on 127.0.0.1:$PGT_PORT"
init_cluster target "$PGT_PORT"
pgq "$PGT_PORT" postgres "CREATE DATABASE sync" >/dev/null
for db in baseline native msync pgloader; do pgq "$PGT_PORT" postgres "CREATE DATABASE $db" >/dev/null; done
if want_src pg; then
  log "PostgreSQL source cluster on 127.0.0.1:$PGS_PORT"
  init_cluster source "$PGS_PORT" "wal_level = logical" "max_replication_slots = 10" "max_wal_senders = 10"
  pgq "$PGS_PORT" postgres "CREATE DATABASE bench" >/dev/null
  PGS_SETTINGS="$(sq pg "$PG_SETTINGS_SQL")"
fi
PGT_SETTINGS="$(pgq "$PGT_PORT" sync "$PG_SETTINGS_SQL")"
PG_VERSION="$(pgq "$PGT_PORT" sync "SELECT version()" | sed 's/ on x86_64.*//; s/,.*//')"
if want_src mariadb; then
  alloc_port MS_PORT; alloc_port MT_PORT
  log "MariaDB source on 127.0.0.1:$MS_PORT, MariaDB target on 127.0.0.1:$MT_PORT"
  start_mariadb mdbsrc "$MS_PORT" --server-id=1 --log-bin="$WORK/mdbsrc/binlog" --binlog-format=ROW --binlog-row-image=FULL
  start_mariadb mdbtgt "$MT_PORT" --server-id=2
  myq "$MT_PORT" "" "CREATE DATABASE sync; CREATE DATABASE psync; CREATE DATABASE baseline" || exit 1
  mariadb --no-defaults -S "$WORK/mdbsrc/mysqld.sock" -uroot -e \
    "CREATE USER repl@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1';" || exit 1
  if want W2; then
    # The W2 limit: a replica that follows the source from before the database exists (so the load replicates too).
    alloc_port MR_PORT
    log "MariaDB replica on 127.0.0.1:$MR_PORT (W2 limit)"
    start_mariadb mdbrep "$MR_PORT" --server-id=3 --relay-log="$WORK/mdbrep/relay"
    read -r BF BP < <(mariadb --no-defaults -S "$WORK/mdbsrc/mysqld.sock" -uroot -N -B -e "SHOW MASTER STATUS" | awk '{print $1, $2}')
    myq "$MR_PORT" "" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$MS_PORT, MASTER_USER='repl', MASTER_PASSWORD='bench',
      MASTER_LOG_FILE='$BF', MASTER_LOG_POS=$BP, MASTER_USE_GTID=no; START SLAVE" || exit 1
    MR_SETTINGS="$(myq "$MR_PORT" "" "$MY_SETTINGS_SQL")"
  fi
  myq "$MS_PORT" "" "CREATE DATABASE bench CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" || exit 1
  MS_SETTINGS="$(myq "$MS_PORT" "" "$MY_SETTINGS_SQL")"; MT_SETTINGS="$(myq "$MT_PORT" "" "$MY_SETTINGS_SQL")"
  MY_VERSION="$(myq "$MS_PORT" "" "SELECT VERSION()")"
fi

# ---------------------------------------------------------------- summary
summary() {
  local status="OK" sec
  [ ${#FAILURES[@]} -eq 0 ] || status="FAIL"
  {
    echo "==================== realtime-sync benchmark summary ===================="
    echo "command                      bench/run.sh $ARGS   (started $RUN_START_UTC)"
    echo "settings                     sources=$SOURCES workloads=$WORKLOADS N=$N tables=$TABLES (orders$([ "$TABLES" -gt 1 ] && echo " + $((TABLES - 1)) x $EXTRA_ROWS rows")) W2 count=$COUNT"
    echo "                             streams=$STREAMS seed=$SEED W3 rate=$W3_RATE/s for $W3_SECONDS s, W4 rows=$(( W4_ROWS < N ? W4_ROWS : N )) timeout=$TIMEOUT s"
    echo "                             java-opts: ${JOPTS:-(none)}   run-args: ${RUN_ARGS:-(none)}   goals: peak RSS <= $RSS_GOAL MiB, W3 p99 <= $W3_GOAL ms"
    echo "jar                          $JAR_INFO; HEAD $GIT_REV"
    for sec in pg pp pm ms mp mm; do
      [ -f "$WORK/summary-$sec.part" ] || continue
      case "$sec" in
        pg) echo "PostgreSQL source";; ms) echo "MariaDB source";;
        pm) echo "$(task_title pm)  (examples/postgres-to-postgres.yaml, its own task, slot and publication; a MariaDB TARGET_JDBC_URL)";;
        *) echo "$(task_title "$sec")  (examples/$(task_yaml "$sec")$([ "$sec" != pp ] && echo ", SOURCE_FLAVOUR=mariadb"))";;
      esac
      grep -v '^@W[12]LIMIT@$' "$WORK/summary-$sec.part"
    done
    echo "machine"
    echo "  cpus / memory              $(nproc) / $(awk '/MemTotal/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1))"
    echo "  kernel / java              $(uname -r) / $(java -version 2>&1 | head -1) $([ -n "$JOPTS" ] && echo "opts: $JOPTS" || echo "(default options, max heap $(java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '/ MaxHeapSize /{printf "%.0f MiB", $4 / 1048576}'))")"
    echo "  PostgreSQL                 $PG_VERSION (clusters on this machine)"
    [ -n "${PGS_SETTINGS:-}" ] && echo "    source settings          $PGS_SETTINGS"
    echo "    target settings          $PGT_SETTINGS"
    if want_src mariadb; then
      echo "  MariaDB                    ${MY_VERSION:-?} (servers on this machine)$(want W1 && command -v pgloader >/dev/null && echo "; $(pgloader --version 2>/dev/null | head -1)")"
      echo "    source settings          ${MS_SETTINGS:-}"
      echo "    target settings          ${MT_SETTINGS:-}"
      [ -n "${MR_SETTINGS:-}" ] && echo "    replica settings         $MR_SETTINGS"
    fi
    echo "  load average start / end   $LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  java/postgres/mariadbd     already running at start: ${FOREIGN_START} (this run's servers add more)"
    echo "total wall time              $(secs "$T_SCRIPT" "$(now)") s"
    echo "result                       $status"
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "=========================================================================="
  } | tee "$RUN_RESULTS/summary.txt"
}
finish() {
  local p
  FINISHED=1
  for p in "$WORK"/sync-*.log; do
    [ -f "$p" ] || continue
    probs="$(log_problems "$p")"
    [ -z "$probs" ] || { log "warnings/errors in $(basename "$p"):"; printf '%s\n' "$probs" | cut -c1-300 | sed 's/^/    /' >&2; }
  done
  summary
  cp "$WORK"/sync-*.log "$WORK"/rss-*.tsv "$WORK"/loadavg.tsv "$WORK"/*.err "$WORK"/verify-*.out "$WORK"/pgloader.* "$RUN_RESULTS/" 2>/dev/null || true
  log "summary and logs kept in $RUN_RESULTS"
  [ ${#FAILURES[@]} -eq 0 ] || exit 1
  exit 0
}
skipped() { out "$1" "  $2 skipped: $(skip_reason "$1")"; }

# ---------------------------------------------------------------- 3. PostgreSQL source
if want_src pg; then
  if load_source pg pg; then
    if want W1; then w1_pg_dump; w1_native_copy; fi
    sync_full_load pp "$(want W1 && echo 1 || echo 0)"
    # PostgreSQL -> MariaDB, full load only (its limit, mariadb-dump | mariadb, is measured with the MariaDB source).
    if want W1 && want_src mariadb; then
      sync_full_load pm 1
      sq pg "SELECT pg_drop_replication_slot('realtime_sync_pm'); DROP PUBLICATION realtime_sync_pm" >/dev/null
    fi
    if want W2; then
      if [ -n "$(skip_reason pp)" ]; then skipped pp W2
      else
        if [ "$(pgq "$PGT_PORT" native "SELECT count(*) FROM pg_subscription")" != 1 ]; then
          native_sub_create; dl=$(deadline_in "$TIMEOUT")
          until native_sub_ready; do past "$dl" && break; sleep 0.2; done
        fi
        # One backlog for both consumers: the sync's slot and the (disabled) subscription's slot hold the same changes.
        pgq "$PGT_PORT" native "ALTER SUBSCRIPTION bench_native DISABLE" >/dev/null
        dl=$(deadline_in 120)
        until [ "$(sq pg "SELECT active FROM pg_replication_slots WHERE slot_name = 'bench_native'")" = f ]; do past "$dl" && break; sleep 0.1; done
        [ "$CEILING" = 1 ] && w2_ceiling_slot
        if w2_produce pg; then
          out pg "  W2 backlog produced         $W2_PRODUCE; held back: $W2_BACKLOG"
          [ "$CEILING" = 1 ] && w2_ceiling
          w2_sync_drain pp
          w2_native
          [ "$POLL_API" -gt 0 ] && w2_api_cost pp pg
        fi
      fi
    fi
    [ "$(pgq "$PGT_PORT" native "SELECT count(*) FROM pg_subscription")" = 1 ] && pgq "$PGT_PORT" native "DROP SUBSCRIPTION bench_native" >/dev/null
    if want W3; then if [ -n "$(skip_reason pp)" ]; then skipped pp W3; else w3 pp $((SEED + STREAMS)); fi; fi
    if want W4; then if [ -n "$(skip_reason pp)" ]; then skipped pp W4; else w4 pp; fi; fi
  fi
fi

# ---------------------------------------------------------------- 4. MariaDB source
if want_src mariadb; then
  if load_source mariadb ms; then
    if want W2; then  # the replica must have the load before anything is timed
      s=$(new_seq); fence mariadb "$s"; t=$(now)
      wait_fence_ep replica-load "mariadb://bench:bench@127.0.0.1:$MR_PORT/bench" "$s" "$(deadline_in "$TIMEOUT")" \
        && out ms "  replica (W2 limit)           replicated the load as it ran; caught up $(secs "$t" "$(now)") s after the load ended (not timed against anything)" \
        || fail "MariaDB replica did not catch up with the load: $PHASE_ERR"
    fi
    if want W1; then w1_pgloader; w1_mariadb_dump; w1_limit_line pm; fi
    sync_full_load mp "$(want W1 && echo 1 || echo 0)"
    sync_full_load mm "$(want W1 && echo 1 || echo 0)"
    if want W2; then
      # One backlog for every consumer: both syncs are stopped and the replica's threads too.
      s=$(new_seq); fence mariadb "$s"
      wait_fence_ep replica-pre-w2 "mariadb://bench:bench@127.0.0.1:$MR_PORT/bench" "$s" "$(deadline_in "$TIMEOUT")" || fail "MariaDB replica behind before W2: $PHASE_ERR"
      myq "$MR_PORT" "" "STOP SLAVE" >/dev/null
      [ "$CEILING" = 1 ] && w2_ceiling_prime_mariadb
      if w2_produce mariadb; then
        out ms "  W2 backlog produced         $W2_PRODUCE; held back: $W2_BACKLOG"
        [ "$CEILING" = 1 ] && w2_ceiling mariadb
        if [ -n "$(skip_reason mp)" ]; then skipped mp W2; else w2_sync_drain mp; [ "$POLL_API" -gt 0 ] && w2_api_cost mp mariadb; fi
        if [ -n "$(skip_reason mm)" ]; then skipped mm W2; else w2_sync_drain mm; fi
        w2_replica
      fi
    fi
    if want W3; then
      if [ -n "$(skip_reason mp)" ]; then skipped mp W3; else w3 mp $((SEED + STREAMS)); fi
      if [ -n "$(skip_reason mm)" ]; then skipped mm W3; else w3 mm $((SEED + 2 * STREAMS)); fi
    fi
    if want W4; then
      if [ -n "$(skip_reason mp)" ]; then skipped mp W4; else w4 mp; fi
      if [ -n "$(skip_reason mm)" ]; then skipped mm W4; else w4 mm; fi
    fi
  fi
fi
finish
