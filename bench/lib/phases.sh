# bench/lib/phases.sh: the workloads (sourced by bench/run.sh). Each function appends its lines to the summary
# (out SECTION ...), records failures (fail ...) and returns 1 when the task cannot go on (the sync JVM died, a
# wait timed out); later phases of that task are then skipped with the reason.

PP_LIMIT_S=-; PP_LIMIT_RATE=-; PP_LIMIT_VERIFY=-; MP_LIMIT_S=-; MP_LIMIT_RATE=-; MP_LIMIT_VERIFY=-
MM_LIMIT_S=-; MM_LIMIT_RATE=-; MM_LIMIT_VERIFY=-; NATIVE_S=""; NATIVE_RATE=""; NATIVE_VERIFY=-; CATCHUP_S=-; CATCHUP_PRE_S=""
W2_PRODUCE=-; W2_BACKLOG=-; W2_SEQ=0; W2_SRC_COUNT=-
skip_reason() { local v="SKIP_$1"; echo "${!v:-}"; }
task_broken() { eval "SKIP_$1=\"\$2\""; }
load_note() { awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {s += $2; n++; if ($2 > m) m = $2}
    END {if (n) printf "load avg %.1f, max %.1f", s / n, m; else print "load -"}' "$WORK/loadavg.tsv"; }

# ---------------------------------------------------------------- sources
add_extra_tables() {  # SRC: t001..t(TABLES-1), copies of the orders schema with EXTRA_ROWS rows each
  local src="$1" sql="" x
  [ "$TABLES" -gt 1 ] || return 0
  for x in $(extra_tables); do
    if [ "$src" = pg ]; then sql+="CREATE TABLE $x (LIKE orders INCLUDING ALL); INSERT INTO $x SELECT * FROM orders WHERE id <= $EXTRA_ROWS;"$'\n'
    else sql+="CREATE TABLE $x LIKE orders; INSERT INTO $x SELECT * FROM orders WHERE id <= $EXTRA_ROWS;"$'\n'; fi
  done
  printf '%s' "$sql" | $(src_cmd "$src") >/dev/null
}
load_source() {  # SRC SECTION
  local src="$1" sec="$2" t
  log "$src source: loading orders ($N rows)$([ "$TABLES" -gt 1 ] && echo " and $((TABLES - 1)) extra tables of $EXTRA_ROWS rows")"
  t=$(now)
  run_bounded "$TIMEOUT" "'$WL/gen.sh' $src schema | $(src_cmd "$src") >/dev/null && '$WL/gen.sh' $src orders $N | $(src_cmd "$src") >/dev/null" \
    || { fail "$src source: loading failed or timed out"; return 1; }
  add_extra_tables "$src" || { fail "$src source: creating the extra tables failed"; return 1; }
  [ "$(sq "$src" "SELECT count(*) FROM orders")" = "$N" ] || { fail "$src source does not hold $N orders rows"; return 1; }
  out "$sec" "  source load (gen.sh)         $(secs "$t" "$(now)") s ($N orders rows$([ "$TABLES" -gt 1 ] && echo ", $((TABLES - 1)) extra tables t001..t$(printf %03d $((TABLES - 1))) of $EXTRA_ROWS rows"); not timed against anything)"
}

# ---------------------------------------------------------------- W1 limits
w1_pg_dump() {  # pg_dump | psql into database baseline of the target cluster
  local t t1
  log "W1 limit: pg_dump -t orders -t bench_fence | psql baseline"
  pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null; sq pg "CHECKPOINT" >/dev/null
  t=$(now)
  if run_bounded "$TIMEOUT" "pg_dump -h 127.0.0.1 -p $PGS_PORT -U postgres -d bench -t orders -t bench_fence | $(pg_cmd "$PGT_PORT" baseline) >/dev/null"; then
    t1=$(now); PP_LIMIT_S=$(secs "$t" "$t1"); PP_LIMIT_RATE=$(rate "$N" "$t" "$t1")
    run_verify w1-pg_dump "$(src_ep pg)" "pg://postgres@127.0.0.1:$PGT_PORT/baseline" orders bench_fence
    [ "$VERIFY_RESULT" = MATCH ] || fail "PostgreSQL W1 pg_dump|psql copy verify: $VERIFY_RESULT"
    PP_LIMIT_VERIFY="$VERIFY_RESULT"
  else fail "W1 limit: pg_dump | psql failed or timed out"; PP_LIMIT_VERIFY="failed"; fi
  log "W1 limit pg_dump|psql: $PP_LIMIT_S s, $PP_LIMIT_RATE rows/s"
}
native_sub_create() {  # logical replication of orders + bench_fence into database native (empty tables, then copy_data)
  sq pg "CREATE PUBLICATION bench_native FOR TABLE orders, bench_fence" >/dev/null
  pg_dump -h 127.0.0.1 -p "$PGS_PORT" -U postgres -d bench -t orders -t bench_fence --schema-only | $(pg_cmd "$PGT_PORT" native) >/dev/null
  pgq "$PGT_PORT" native "CREATE SUBSCRIPTION bench_native CONNECTION 'host=127.0.0.1 port=$PGS_PORT dbname=bench user=postgres password=bench' PUBLICATION bench_native WITH (copy_data = true)" >/dev/null
}
native_sub_ready() { [ "$(pgq "$PGT_PORT" native "SELECT count(*) FILTER (WHERE srsubstate = 'r') || '/' || count(*) FROM pg_subscription_rel")" = 2/2 ]; }
w1_native_copy() {  # timed: CREATE SUBSCRIPTION (copy_data) until both tables are ready
  local t t1 dl
  log "W1 reference: native logical replication initial copy (CREATE SUBSCRIPTION ... copy_data = true)"
  pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null; sq pg "CHECKPOINT" >/dev/null
  t=$(now); dl=$(deadline_in "$TIMEOUT")
  native_sub_create || { fail "W1 native logical replication: CREATE SUBSCRIPTION failed"; return 1; }
  until native_sub_ready; do past "$dl" && { fail "W1 native initial copy timed out"; return 1; }; sleep 0.1; done
  t1=$(now); NATIVE_S=$(secs "$t" "$t1"); NATIVE_RATE=$(rate "$N" "$t" "$t1")
  [ "$(pgq "$PGT_PORT" native "SELECT count(*) FROM orders")" = "$N" ] || fail "W1 native copy: tables ready but orders count differs"
  run_verify w1-native "$(src_ep pg)" "pg://postgres@127.0.0.1:$PGT_PORT/native" orders bench_fence
  [ "$VERIFY_RESULT" = MATCH ] || fail "PostgreSQL W1 native logical replication verify: $VERIFY_RESULT"
  NATIVE_VERIFY="$VERIFY_RESULT"
  log "W1 native initial copy: $NATIVE_S s, $NATIVE_RATE rows/s"
}
w1_pgloader() {  # pgloader: orders + bench_fence from the MariaDB source into the empty PostgreSQL database pgloader
  local t t1
  log "W1 limit: pgloader (orders, bench_fence) MariaDB -> PostgreSQL database pgloader"
  cat > "$WORK/pgloader.load" <<EOF
LOAD DATABASE
  FROM mysql://bench:bench@127.0.0.1:$MS_PORT/bench
  INTO postgresql://postgres:bench@127.0.0.1:$PGT_PORT/pgloader
  WITH include drop, create tables, create indexes, reset sequences, workers = 4, concurrency = 1
  ALTER SCHEMA 'bench' RENAME TO 'public'
  INCLUDING ONLY TABLE NAMES MATCHING 'orders', 'bench_fence'
;
EOF
  pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null
  t=$(now)
  # SBCL's default 1 GiB heap is exhausted at N=2,000,000 ("Heap exhausted, game over"): give it 4 GiB.
  if run_bounded "$TIMEOUT" "pgloader --dynamic-space-size 4096 --no-ssl-cert-verification '$WORK/pgloader.load' >'$WORK/pgloader.log' 2>&1"; then
    t1=$(now); MP_LIMIT_S=$(secs "$t" "$t1"); MP_LIMIT_RATE=$(rate "$N" "$t" "$t1")
    run_verify w1-pgloader "$(src_ep mariadb)" "pg://postgres@127.0.0.1:$PGT_PORT/pgloader" orders
    local s d; s="$(sq mariadb "SELECT seq FROM bench_fence")"; d="$(pgq "$PGT_PORT" pgloader "SELECT seq FROM bench_fence" 2>/dev/null)"
    [ "$VERIFY_RESULT" != MATCH ] || [ "$s" = "$d" ] || VERIFY_RESULT="MISMATCH (bench_fence.seq $d, source $s)"
    [ "$VERIFY_RESULT" = MATCH ] || fail "MariaDB W1 pgloader copy verify: $VERIFY_RESULT"
    MP_LIMIT_VERIFY="$VERIFY_RESULT (orders; bench_fence by seq)"
  else tail -5 "$WORK/pgloader.log" >&2; fail "W1 limit: pgloader failed or timed out (log pgloader.log)"; MP_LIMIT_VERIFY=failed; fi
  log "W1 limit pgloader: $MP_LIMIT_S s, $MP_LIMIT_RATE rows/s"
}
w1_mariadb_dump() {  # mariadb-dump | mariadb into database baseline of the MariaDB target
  local t t1
  log "W1 limit: mariadb-dump orders bench_fence | mariadb baseline"
  t=$(now)
  if run_bounded "$TIMEOUT" "mariadb-dump --no-defaults --single-transaction --protocol=TCP -h 127.0.0.1 -P $MS_PORT -ubench -pbench bench orders bench_fence | $(my_cmd "$MT_PORT" baseline)"; then
    t1=$(now); MM_LIMIT_S=$(secs "$t" "$t1"); MM_LIMIT_RATE=$(rate "$N" "$t" "$t1")
    run_verify w1-mariadb-dump "$(src_ep mariadb)" "mariadb://bench:bench@127.0.0.1:$MT_PORT/baseline" orders bench_fence
    [ "$VERIFY_RESULT" = MATCH ] || fail "MariaDB W1 mariadb-dump|mariadb copy verify: $VERIFY_RESULT"
    MM_LIMIT_VERIFY="$VERIFY_RESULT"
  else fail "W1 limit: mariadb-dump | mariadb failed or timed out"; MM_LIMIT_VERIFY=failed; fi
  log "W1 limit mariadb-dump|mariadb: $MM_LIMIT_S s, $MM_LIMIT_RATE rows/s"
}

# ---------------------------------------------------------------- sync: full load
w1_failed() {  # TASK: the full load did not complete (PHASE_ERR says why)
  phase_failed "$(task_title "$1") W1"; task_broken "$1" "full load failed"
  out "$1" "  W1 full load ($N rows)       FAILED: $PHASE_ERR"
}
# sync_full_load TASK TIMED(1|0): the JVM starts against an empty target; the clock runs from JVM start until all N
# rows and the fence are visible. See README ("How completion is detected").
sync_full_load() {
  local task="$1" timed="$2" src seq dl tt tf td c note rss s_rate lim_rate lim_name lim_s
  src="$(task_src "$task")"
  tgt_is_pg "$task" && pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null
  start_sync "$task" w1
  dl=$(deadline_in "$TIMEOUT")
  # Watch both: capture start (then bump the fence) and the moment the target table orders appears. On MariaDB the
  # capture (binlog) starts only after the snapshot has been read, long after the first rows reach the target.
  tt=""
  until capture_started "$task"; do
    [ -n "$tt" ] || ! orders_exists "$task" || tt=$(now)
    sync_guard "$task W1" "$dl" || { w1_failed "$task"; return 1; }; sleep 0.1
  done
  seq=$(new_seq); fence "$src" "$seq"
  local t_cap; t_cap=$(secs "$SYNC_T0" "$(now)")
  log "$task W1: capture started after $t_cap s; fence $seq bumped on the source"
  until [ -n "$tt" ]; do
    orders_exists "$task" && tt=$(now)
    [ -n "$tt" ] || { sync_guard "$task W1" "$dl" || { w1_failed "$task"; return 1; }; sleep 0.1; }
  done
  wait_fence_ep "$task-W1" "$(tgt_ep "$task")" "$seq" "$dl" || { w1_failed "$task"; return 1; }
  tf=$(now)
  c="$(tgt_count "$task")"
  if [ "$c" = "$N" ]; then note="fence seen after $(secs "$SYNC_T0" "$tf") s with all $N rows already visible"
  else
    note="fence seen after $(secs "$SYNC_T0" "$tf") s with only $c rows visible; then polled count(*)"
    until [ "$(tgt_count "$task")" = "$N" ]; do sync_guard "$task W1" "$dl" || { w1_failed "$task"; return 1; }; sleep 0.5; done
  fi
  td=$(now)
  rss=$(peak_rss_mib)
  s_rate=$(rate "$N" "$SYNC_T0" "$td")
  log "$task W1 sync: $(secs "$SYNC_T0" "$td") s, $s_rate rows/s, peak RSS $rss MiB"
  verify_task "$task" w1 extras
  local v="$VERIFY_RESULT" ld; ld="$(load_note "$SYNC_T0" "$td")"
  stop_sync
  case "$task" in
    pp) lim_name="pg_dump | psql"; lim_rate="${PP_LIMIT_RATE:--}"; lim_s="${PP_LIMIT_S:--}";;
    mp) lim_name="pgloader"; lim_rate="${MP_LIMIT_RATE:--}"; lim_s="${MP_LIMIT_S:--}";;
    mm|pm) lim_name="mariadb-dump|mariadb"; lim_rate="${MM_LIMIT_RATE:--}"; lim_s="${MM_LIMIT_S:--}";;
  esac
  eval "W1_ROW_$task=\"\$s_rate\""
  if [ "$timed" = 1 ]; then
    out "$task" "  W1 full load ($N rows)"
    out "$task" "    realtime-sync              $(secs "$SYNC_T0" "$td") s   $s_rate rows/s   (JVM start -> all rows + fence visible)"
    if [ "$task" = pm ]; then out pm "@W1LIMIT@"  # measured later, with the MariaDB source (w1_limit_line)
    else
      out "$task" "    limit: $(printf '%-19s' "$lim_name") $lim_s s   $lim_rate rows/s   verify: $(case $task in pp) echo "$PP_LIMIT_VERIFY";; mp) echo "$MP_LIMIT_VERIFY";; mm) echo "$MM_LIMIT_VERIFY";; esac)"
      out "$task" "    RATIO sync / limit         $(ratio "$s_rate" "$lim_rate")"
    fi
    if [ "$task" = pp ] && [ -n "$NATIVE_RATE" ]; then
      out "$task" "    reference: native logical replication initial copy  $NATIVE_S s   $NATIVE_RATE rows/s   (sync / native $(ratio "$s_rate" "$NATIVE_RATE"); verify: $NATIVE_VERIFY)"
    fi
    out "$task" "    start-up                   target table orders after $(secs "$SYNC_T0" "$tt") s ($(rate "$N" "$tt" "$td") rows/s from then on); $([ "$src" = pg ] && echo "slot created" || echo "binlog reading (snapshot read) started") after $t_cap s"
    out "$task" "    CPU of sync JVM streaming  $(awk -v a="$cpu_a" -v d="$cpu_d" -v n="$COUNT" 'BEGIN{if (a == "-" || d == "-") print "-"; else printf "%.1f s, %.0f us per change (more comparable than rates on a busy machine)", d - a, (d - a) * 1e6 / n}')"
  [ -z "$polled" ] || out "$task" "    operator API polled        $polled"
  out "$task" "    completion check           $note"
    out "$task" "    sync's own peak report     $(r="$(sync_reported "$SYNC_LOG")"; echo "${r:--}")"
    out "$task" "    peak RSS of sync JVM       $(goal_rss "$rss")"
    out "$task" "    verify                     $v"
    out "$task" "    during sync / stop         $ld / $STOP_INFO"
  else
    out "$task" "  full load (untimed, W1 not selected): $(secs "$SYNC_T0" "$td") s; verify $v; peak RSS $(goal_rss "$rss")"
  fi
}

# w1_limit_line pm: PostgreSQL -> MariaDB's limit is the MariaDB target server's own bulk load of the same rows
# (mariadb-dump | mariadb from the MariaDB source), measured after that task's full load.
w1_limit_line() {
  local task="$1" f="$WORK/summary-$1.part"
  grep -qx '@W1LIMIT@' "$f" 2>/dev/null || return 0
  awk -v a="    limit: mariadb-dump|mariadb $MM_LIMIT_S s   ${MM_LIMIT_RATE:--} rows/s   verify: ${MM_LIMIT_VERIFY:--}   (into the same MariaDB server)" \
      -v b="    RATIO sync / limit         $(ratio "$(eval echo "\${W1_ROW_$task:--}")" "${MM_LIMIT_RATE:--}")" \
      '$0 == "@W1LIMIT@" {print a; print b; next} {print}' "$f" > "$f.new" && mv "$f.new" "$f"
}

# ---------------------------------------------------------------- W2: backlog
# w2_produce SRC: with every consumer of the source stopped, C single-row changes (drive.sh, K sessions), then the fence.
w2_produce() {
  local src="$1" t t1
  log "W2 $src: producing $COUNT changes on the source (drive.sh, $STREAMS sessions, seeds $SEED..$((SEED + STREAMS - 1)))"
  t=$(now)
  run_bounded "$TIMEOUT" "'$WL/drive.sh' $src w2 --n $N --count $COUNT --streams $STREAMS --seed0 $SEED -- $(src_cmd "$src")" \
    2>"$WORK/drive-w2-$src.err" || { cat "$WORK/drive-w2-$src.err" >&2; fail "W2 $src: producing the changes failed or timed out"; return 1; }
  t1=$(now)
  W2_PRODUCE="$(secs "$t" "$t1") s, $(rate "$COUNT" "$t" "$t1") changes/s ($STREAMS sessions; not part of the measurement)"
  W2_SEQ=$(new_seq); fence "$src" "$W2_SEQ"
  W2_SRC_COUNT="$(sq "$src" "SELECT count(*) FROM orders")"
  if [ "$src" = pg ]; then
    W2_BACKLOG="$(sq pg "SELECT string_agg(slot_name || ' ' || pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)), ', ') FROM pg_replication_slots") of WAL"
    sq pg "CHECKPOINT" >/dev/null; pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null
  else
    W2_BACKLOG="$(mariadb --no-defaults -S "$WORK/mdbsrc/mysqld.sock" -uroot -N -B -e 'SHOW BINARY LOGS' | awk '{s += $2} END{printf "binlog total %.1f MiB", s / 1048576}')"
  fi
  log "W2 $src: $W2_PRODUCE; fence $W2_SEQ; backlog $W2_BACKLOG"
}
# w2_sync_drain TASK: start the sync on the backlog; clock from JVM start until the fence is visible.
w2_sync_drain() {
  local task="$1" src dl ta td c tc note rss s_rate
  src="$(task_src "$task")"
  start_sync "$task" w2
  dl=$(deadline_in "$TIMEOUT")
  until capture_started "$task" active; do sync_guard "$task W2" "$dl" || { phase_failed "$(task_title "$task") W2"; task_broken "$task" "W2 failed: $PHASE_ERR"; return 1; }; sleep 0.1; done
  ta=$(now); local cpu_a; cpu_a=$(sync_cpu)
  local poller=""; [ "$POLLING" = 1 ] && { poll_api "$task" & poller=$!; }
  wait_fence_ep "$task-W2" "$(tgt_ep "$task")" "$W2_SEQ" "$dl" || { phase_failed "$(task_title "$task") W2"; task_broken "$task" "W2 failed: $PHASE_ERR"; return 1; }
  td=$(now); local cpu_d; cpu_d=$(sync_cpu)
  c="$(tgt_count "$task")"; tc=$(now)
  if [ "$c" = "$W2_SRC_COUNT" ]; then note="count(orders) right after the fence (+$(secs "$td" "$tc") s) = $c = source"
  else note="count(orders) right after the fence (+$(secs "$td" "$tc") s) = $c, source has $W2_SRC_COUNT: fence applied before earlier changes"
    fail "$(task_title "$task") W2: $note"; fi
  local polled=""; [ -z "$poller" ] || { kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null; polled="$(api_calls_done "$ta" "$td")"; }
  rss=$(peak_rss_mib); s_rate=$(rate "$COUNT" "$SYNC_T0" "$td")
  log "$task W2 sync: $(secs "$SYNC_T0" "$td") s, $s_rate changes/s, peak RSS $rss MiB"
  verify_task "$task" w2
  local v="$VERIFY_RESULT" ld; ld="$(load_note "$SYNC_T0" "$td")"
  stop_sync
  W2_SYNC_RATE_OF_TASK="$s_rate"
  W2_DRAIN_RATE="$(rate "$COUNT" "$ta" "$td")"
  W2_DRAIN_CPU="$(awk -v a="$cpu_a" -v d="$cpu_d" 'BEGIN{if (a == "-" || d == "-") print "-"; else printf "%.2f", d - a}')"
  if [ -n "$W2_AGAIN" ]; then
    out "$task" "  W2 again, $W2_AGAIN: streaming after $(secs "$SYNC_T0" "$ta") s; $W2_DRAIN_RATE changes/s from then on; CPU $W2_DRAIN_CPU s; verify $v"
    [ -z "$polled" ] || out "$task" "    operator API polled        $polled"
    return 0
  fi
  out "$task" "  W2 backlog ($COUNT single-row changes, 40% insert / 40% update / 20% delete; seeds $SEED..$((SEED + STREAMS - 1)))"
  out "$task" "    realtime-sync              $(secs "$SYNC_T0" "$td") s   $s_rate changes/s   (JVM start -> fence visible)"
  eval "W2_ROW_$task=\"\$(secs \"\$SYNC_T0\" \"\$td\") \$s_rate\""
  out "$task" "    start-up                   streaming after $(secs "$SYNC_T0" "$ta") s; $(rate "$COUNT" "$ta" "$td") changes/s from then on"
  out "$task" "    CPU of sync JVM streaming  $(awk -v a="$cpu_a" -v d="$cpu_d" -v n="$COUNT" 'BEGIN{if (a == "-" || d == "-") print "-"; else printf "%.1f s, %.0f us per change (more comparable than rates on a busy machine)", d - a, (d - a) * 1e6 / n}')"
  [ -z "$polled" ] || out "$task" "    operator API polled        $polled"
  out "$task" "    completion check           $note"
  out "$task" "    sync's own peak report     $(r="$(sync_reported "$SYNC_LOG")"; echo "${r:--}")"
  out "$task" "    peak RSS of sync JVM       $(goal_rss "$rss")"
  out "$task" "    verify                     $v"
  out "$task" "    during sync / stop         $ld / $STOP_INFO"
  out "$task" "@W2LIMIT@"
}
# w2_api_cost: the cost of polling the operator API, in the same run (--poll-api C): two more backlogs of the same
# size drained by the sync, the first while C status calls are made, the second idle again; the polled rate against
# the mean of the idle drains before and after it.
w2_api_cost() {
  local task="$1" src="$2" idle1="$W2_DRAIN_RATE" cpu1="$W2_DRAIN_CPU" polled cpu_p idle2 cpu2 seed="$SEED"
  # Seeds of their own (W2 uses SEED.., W3 the next STREAMS): no session inserts an id an earlier one did.
  W2_AGAIN="operator API polled"; POLLING=1; SEED=$((seed + 2 * STREAMS)); W2_DRAIN_RATE="-"; W2_DRAIN_CPU="-"
  w2_produce "$src" && w2_sync_drain "$task"; polled="$W2_DRAIN_RATE"; cpu_p="$W2_DRAIN_CPU"
  W2_AGAIN="operator API idle"; POLLING=0; SEED=$((seed + 3 * STREAMS)); W2_DRAIN_RATE="-"; W2_DRAIN_CPU="-"
  w2_produce "$src" && w2_sync_drain "$task"; idle2="$W2_DRAIN_RATE"; cpu2="$W2_DRAIN_CPU"
  W2_AGAIN=""; SEED="$seed"
  out "$task" "  W2 cost of $POLL_API API calls  polled $polled changes/s against idle $idle1 and $idle2: $(awk -v p="$polled" -v a="$idle1" -v b="$idle2" 'BEGIN{if (a + b > 0 && p + 0 > 0) printf "%+.1f %%", (p / ((a + b) / 2) - 1) * 100; else print "-"}')"
  # CPU is the steadier measure on 2 shared cores: the sync JVM's CPU seconds for the same backlog, polled against idle.
  out "$task" "    sync JVM CPU               polled $cpu_p s against idle $cpu1 and $cpu2: $(awk -v p="$cpu_p" -v a="$cpu1" -v b="$cpu2" -v c="$POLL_API" 'BEGIN{if (p == "-" || a == "-" || b == "-") print "-"; else { m = (a + b) / 2; printf "%+.1f %% (%+.0f us per API call)", (p / m - 1) * 100, (p - m) * 1e6 / c } }')"
  api_idle_cost "$task"
}
# api_idle_cost TASK: what the calls alone cost the sync JVM, with no backlog to drain: its CPU while C calls are made
# against its CPU over 15 s just before (scaled to the calls' duration), per call.
api_idle_cost() {
  local task="$1" dl
  start_sync "$task" api-idle
  dl=$(deadline_in "$TIMEOUT")
  until capture_started "$task" active; do sync_guard "$task API idle" "$dl" || { fail "$(task_title "$task") API idle: $PHASE_ERR"; return 1; }; sleep 0.1; done
  sleep 5 # past the start-up's own work
  # Three rounds: the first ones also pay for compiling the server's code paths (the JIT), once per JVM.
  local round rounds=()
  for round in 1 2 3; do rounds+=("$(idle_calls_cpu "$task")"); done
  stop_sync
  for round in 1 2 3; do out "$task" "  $POLL_API API calls on the idle sync, round $round  ${rounds[$((round - 1))]}"; done
}
# idle_calls_cpu TASK: the sync JVM's CPU over 15 s idle, then while $POLL_API calls are made; the extra per call.
idle_calls_cpu() {
  local task="$1" c0 c1 c2 t0 t1 t2
  t0=$(now); c0=$(sync_cpu); sleep 15; t1=$(now); c1=$(sync_cpu)
  poll_api "$task"
  t2=$(now); c2=$(sync_cpu)
  local done_calls; done_calls="$(api_calls_done "$t1" "$t2")"
  echo "$(awk -v c0="$c0" -v c1="$c1" -v c2="$c2" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v n="$POLL_API" 'BEGIN{
    idle = (c1 - c0) / (t1 - t0); calls = (c2 - c1) - idle * (t2 - t1);
    printf "CPU %.2f s in %.1f s of calls against %.2f s per s idle: %.0f us per call", c2 - c1, t2 - t1, idle, calls * 1e6 / n}'); $done_calls"
}
# poll_api TASK: $POLL_API calls to the sync's operator API, task status and table list alternating, on one
# keep-alive connection per 100 calls, paced at one call per 10 ms (the W2 drain of a 200,000-change backlog takes
# 30-40 s, so 1,000 calls fall inside it); each response's status code goes to api-calls.log.
poll_api() {
  local task="$1" name i j batch url
  name="$(awk '/^ *task:/{print $2; exit}' "$WORK/$(task_yaml "$task")" | tr -d '"')"
  : > "$WORK/api-calls.log"
  # One answer of each call kept whole, to see what the polls got.
  curl -s -H "Authorization: Bearer $REALTIME_SYNC_TOKEN" "http://$API_ADDR/api/tasks/$name" > "$WORK/api-task.json" 2>&1
  curl -s -H "Authorization: Bearer $REALTIME_SYNC_TOKEN" "http://$API_ADDR/api/tasks/$name/tables" > "$WORK/api-tables.json" 2>&1
  for ((i = 0; i < POLL_API; i += 100)); do
    batch=()
    for ((j = i; j < i + 100 && j < POLL_API; j++)); do
      if (( j % 2 )); then url="http://$API_ADDR/api/tasks/$name/tables"; else url="http://$API_ADDR/api/tasks/$name"; fi
      batch+=(-o /dev/null -w '%{http_code}\n' "$url")
    done
    curl -s --rate 100/s -H "Authorization: Bearer $REALTIME_SYNC_TOKEN" "${batch[@]}" >> "$WORK/api-calls.log" 2>/dev/null
  done
}
# api_calls_done T0 T1: how many polls were answered 200 between the two times, and what else came back.
api_calls_done() {
  awk -v s="$(secs "$1" "$2")" '{n[$1]++; t++} END{o = ""; for (c in n) if (c != 200) o = o ", " n[c] " answered " c;
    printf "%d calls in %s s, %d answered 200%s\n", t, s, n[200], o}' "$WORK/api-calls.log"
}
# The W2 limit lines are written after the limit was measured (the same backlog, drained by the native mechanism).
w2_limit_line() {  # TASK TEXT RATE
  local task="$1" text="$2" lrate="$3" srate f="$WORK/summary-$1.part"
  srate="$(eval echo "\${W2_ROW_$task:-- -}" | awk '{print $2}')"
  if ! grep -qx '@W2LIMIT@' "$f" 2>/dev/null; then out "$task" "  W2 limit: $text"; return 0; fi
  awk -v a="    limit: $text" -v b="    RATIO sync / limit         $(ratio "$srate" "$lrate")" '$0 == "@W2LIMIT@" {print a; print b; next} {print}' "$f" > "$f.new" && mv "$f.new" "$f"
}
# --ceiling: Debezium's capture alone drains the same backlog from its own slot (bench_ceiling, created with the
# backlog's other slots), in a Camel route that only counts (lib/CaptureCeiling.java, the kamelet's Debezium settings,
# the sync's JVM options); clock from JVM start until the fence change is received. Runs before the sync.
w2_ceiling_slot() { sq pg "SELECT pg_create_logical_replication_slot('bench_ceiling', 'pgoutput'), pg_create_logical_replication_slot('bench_ceiling_tx', 'pgoutput')" >/dev/null; }
ceiling_compile() {
  [ -f "$WORK/ceiling/CaptureCeiling.class" ] && return 0
  mkdir -p "$WORK/ceiling"
  javac -nowarn -d "$WORK/ceiling" -cp "$WORK/realtime-sync.jar" "$BENCH/lib/CaptureCeiling.java" 2>"$WORK/ceiling-javac.err"
}
# ceiling_java LOG ARGS...: one CaptureCeiling JVM with the sync's JVM options, clocked from before its start.
ceiling_java() {
  local log="$1" t0; shift; t0=$(date +%s%3N)
  # shellcheck disable=SC2086
  ( cd "$WORK" && timeout -k 10 "$TIMEOUT" java $JOPTS -Dt0="$t0" -cp "$WORK/realtime-sync.jar:$WORK/ceiling" CaptureCeiling "$@" ) > "$log" 2>&1
}
# w2_ceiling_prime_mariadb: before the MariaDB backlog, both capture-alone runs read up to a fence and keep their
# offset and schema history in files (the binlog has no slot to hold a start for them).
w2_ceiling_prime_mariadb() {
  local mode s
  ceiling_compile || { out ms "  W2 capture alone            skipped: CaptureCeiling.java did not compile ($WORK/ceiling-javac.err)"; return 0; }
  for mode in changes transactions; do
    rm -rf "$WORK/ceiling-mariadb-$mode"; mkdir -p "$WORK/ceiling-mariadb-$mode"
    s=$(new_seq)
    # A fence every 2 s until the capture, once streaming, has read one and stopped.
    ( while sleep 2; do fence mariadb "$(date +%s%3N)"; done ) & local fencer=$!
    ceiling_java "$WORK/capture-ceiling-prime-$mode.log" mariadb prime "$s" "$MS_PORT" "$WORK/ceiling-mariadb-$mode" "$mode"
    kill "$fencer" 2>/dev/null; wait "$fencer" 2>/dev/null
    grep -q '^PRIMED ' "$WORK/capture-ceiling-prime-$mode.log" || log "W2 capture alone ($mode): priming failed (capture-ceiling-prime-$mode.log)"
  done
}
w2_ceiling() {
  local src="${1:-pg}" task line slot mode
  task=pg; [ "$src" = mariadb ] && task=ms
  log "W2 capture alone: Debezium drains the backlog into a route that only counts"
  ceiling_compile || { out "$task" "  W2 capture alone            skipped: CaptureCeiling.java did not compile ($WORK/ceiling-javac.err)"; return 0; }
  # Twice: the changes alone, then with Debezium's transaction BEGIN/END records (what the sync captures).
  for mode in changes transactions; do
    if [ "$src" = pg ]; then
      slot=bench_ceiling; [ "$mode" = transactions ] && slot=bench_ceiling_tx
      ceiling_java "$WORK/capture-ceiling-$mode.log" pg "$W2_SEQ" "$PGS_PORT" "$slot" realtime_sync "$mode"
      sq pg "SELECT pg_drop_replication_slot('$slot')" >/dev/null
    else
      ceiling_java "$WORK/capture-ceiling-$mode.log" mariadb drain "$W2_SEQ" "$MS_PORT" "$WORK/ceiling-mariadb-$mode" "$mode"
    fi
    line="$(grep '^CEILING ' "$WORK/capture-ceiling-$mode.log" | sed 's/^CEILING //')"
    out "$task" "  W2 capture alone, $mode$([ "$mode" = changes ] && echo "     " || echo ""): ${line:-failed (see capture-ceiling-$mode.log)}"
    log "W2 capture alone ($mode): ${line:-failed}"
  done
}
w2_native() {  # PostgreSQL: ENABLE the disabled subscription on the same backlog; time until the fence is in native
  local t td dl lr
  log "W2 limit: native logical replication drains the same backlog (ALTER SUBSCRIPTION ... ENABLE)"
  pgq "$PGT_PORT" postgres "CHECKPOINT" >/dev/null
  t=$(now); dl=$(deadline_in "$TIMEOUT")
  pgq "$PGT_PORT" native "ALTER SUBSCRIPTION bench_native ENABLE" >/dev/null
  if wait_fence_ep native-W2 "pg://postgres@127.0.0.1:$PGT_PORT/native" "$W2_SEQ" "$dl"; then
    td=$(now); lr=$(rate "$COUNT" "$t" "$td")
    run_verify w2-native "$(src_ep pg)" "pg://postgres@127.0.0.1:$PGT_PORT/native" orders bench_fence
    [ "$VERIFY_RESULT" = MATCH ] || fail "PostgreSQL W2 native logical replication verify: $VERIFY_RESULT"
    log "W2 native: $(secs "$t" "$td") s, $lr changes/s"
    w2_limit_line pp "$(printf '%-19s' "native logical rep.") $(secs "$t" "$td") s   $lr changes/s   (ENABLE -> fence visible; verify: $VERIFY_RESULT)" "$lr"
  else
    fail "W2 native logical replication: $PHASE_ERR"
    w2_limit_line pp "native logical replication failed: $PHASE_ERR" -
  fi
  pgq "$PGT_PORT" native "DROP SUBSCRIPTION bench_native" >/dev/null || true
}
w2_replica() {  # MariaDB: START SLAVE on a replica stopped before the backlog; time until the fence is on the replica
  local t td dl lr
  log "W2 limit: MariaDB replication drains the same backlog (START SLAVE)"
  t=$(now); dl=$(deadline_in "$TIMEOUT")
  myq "$MR_PORT" "" "START SLAVE" >/dev/null
  if wait_fence_ep replica-W2 "mariadb://bench:bench@127.0.0.1:$MR_PORT/bench" "$W2_SEQ" "$dl"; then
    td=$(now); lr=$(rate "$COUNT" "$t" "$td")
    run_verify w2-replica "$(src_ep mariadb)" "mariadb://bench:bench@127.0.0.1:$MR_PORT/bench" orders bench_fence
    [ "$VERIFY_RESULT" = MATCH ] || fail "MariaDB W2 replica verify: $VERIFY_RESULT"
    log "W2 replica: $(secs "$t" "$td") s, $lr changes/s"
    local txt; txt="$(printf '%-19s' "MariaDB replication") $(secs "$t" "$td") s   $lr changes/s   (START SLAVE -> fence visible on the replica; verify: $VERIFY_RESULT)"
    w2_limit_line mp "$txt" "$lr"; w2_limit_line mm "$txt" "$lr"
  else
    fail "W2 MariaDB replication: $PHASE_ERR"
    w2_limit_line mp "MariaDB replication failed: $PHASE_ERR" -; w2_limit_line mm "MariaDB replication failed: $PHASE_ERR" -
  fi
  myq "$MR_PORT" "" "STOP SLAVE" >/dev/null || true
  stop_mariadb mdbrep
}

# ---------------------------------------------------------------- W3 latency, W4 large transaction
# catch_up TASK LABEL: starts the sync and waits (untimed) until a fresh fence is visible on the target. The other
# MariaDB pair's W3/W4 changes went through the same source while this task was stopped: a first JVM
# (LABEL-pre) applies that backlog and stops, so the measured JVM starts with nothing to catch up and its RSS
# belongs to this phase only.
catch_up() {
  local task="$1" label="$2"
  if [ "$task" = mm ] && [ -z "$(skip_reason mp)" ]; then
    catch_up_once "$task" "$label-pre" || return 1
    CATCHUP_PRE_S="$CATCHUP_S"; stop_sync
  else CATCHUP_PRE_S=""; fi
  catch_up_once "$task" "$label"
}
catch_up_once() {
  local task="$1" label="$2" seq dl
  start_sync "$task" "$label"
  dl=$(deadline_in "$TIMEOUT")
  until capture_started "$task" active; do sync_guard "$task $label" "$dl" || return 1; sleep 0.1; done
  seq=$(new_seq); fence "$(task_src "$task")" "$seq"
  wait_fence_ep "$task-$label-catchup" "$(tgt_ep "$task")" "$seq" "$dl" || return 1
  CATCHUP_S=$(secs "$SYNC_T0" "$(now)")
}
w3() {  # TASK SEEDBASE
  local task="$1" seed0="$2" src t3 since seq dl td rep rss drv tgtcmd
  src="$(task_src "$task")"
  catch_up "$task" w3 || { phase_failed "$(task_title "$task") W3"; out "$task" "  W3 latency                   FAILED: $PHASE_ERR"; return 1; }
  if tgt_is_pg "$task"; then tgtcmd="$(pg_cmd "$PGT_PORT" "$([ "$task" = pp ] && echo sync || echo msync)")"; $tgtcmd -f "$WL/sql/pg_lag_probe.sql" >/dev/null
  else tgtcmd="$(my_cmd "$MT_PORT" sync)"; $tgtcmd < "$WL/sql/mariadb_lag_probe.sql" >/dev/null; fi
  log "$task W3: $W3_RATE changes/s for $W3_SECONDS s ($STREAMS sessions, seeds $seed0..$((seed0 + STREAMS - 1)), --clock)"
  t3=$(now); since=$(awk -v t="$t3" 'BEGIN{printf "%.0f", t + 5}')
  run_bounded "$TIMEOUT" "'$WL/drive.sh' $src w2 --n $N --count $((W3_RATE * W3_SECONDS)) --rate $W3_RATE --streams $STREAMS --seed0 $seed0 --clock -- $(src_cmd "$src")" \
    2>"$WORK/drive-w3-$task.err" || { cat "$WORK/drive-w3-$task.err" >&2; fail "$(task_title "$task") W3: drive.sh failed"; }
  drv="$(grep -o 'seconds=.*' "$WORK/drive-w3-$task.err" | tail -1)"
  seq=$(new_seq); fence "$src" "$seq"; dl=$(deadline_in "$TIMEOUT")
  wait_fence_ep "$task-W3" "$(tgt_ep "$task")" "$seq" "$dl" || { phase_failed "$(task_title "$task") W3"; out "$task" "  W3 latency                   FAILED: $PHASE_ERR"; return 1; }
  td=$(now)
  if tgt_is_pg "$task"; then rep="$($tgtcmd -At -F ' ' -v since="$since" -f "$WL/sql/pg_lag_report.sql")"
    $tgtcmd -f "$WL/sql/pg_lag_remove.sql" >/dev/null
  else rep="$({ echo "SET @since = $since;"; cat "$WL/sql/mariadb_lag_report.sql"; } | $tgtcmd -N -B | tr '\t' ' ')"
    $tgtcmd < "$WL/sql/mariadb_lag_remove.sql" >/dev/null; fi
  rss=$(peak_rss_mib)
  verify_task "$task" w3
  local v="$VERIFY_RESULT" p99; stop_sync
  read -r W3_ROWS W3_P50 W3_P95 W3_P99 W3_MAX <<<"$rep"
  p99="$W3_P99"
  log "$task W3: rows $W3_ROWS p50 $W3_P50 p95 $W3_P95 p99 $W3_P99 max $W3_MAX ms"
  out "$task" "  W3 latency ($W3_RATE changes/s for $W3_SECONDS s, $STREAMS sessions, seeds $seed0..$((seed0 + STREAMS - 1)); source achieved $drv)"
  out "$task" "    commit -> visible          p50 $W3_P50 ms   p95 $W3_P95 ms   p99 $W3_P99 ms   max $W3_MAX ms   ($W3_ROWS rows sampled after 5 s warm-up)"
  out "$task" "    goal p99 <= $W3_GOAL ms        $(awk -v p="$p99" -v g="$W3_GOAL" 'BEGIN{if (p == "" || p !~ /^[0-9.]+$/) print "-"; else if (p + 0 <= g) print "met"; else print "NOT met"}')   (limit for comparison: the peers' figure for native logical replication is p99 9 ms, STACK-FACTS.md)"
  out "$task" "    fence after the last change $(secs "$t3" "$td") s after the W3 start (catch-up before W3: $CATCHUP_S s after JVM start$([ -n "$CATCHUP_PRE_S" ] && echo "; the other pair's changes were applied by a JVM before, in $CATCHUP_PRE_S s"))"
  out "$task" "    peak RSS of sync JVM       $(goal_rss "$rss")"
  out "$task" "    verify                     $v   stop: $STOP_INFO"
}
w4() {  # TASK
  local task="$1" src rows t0 tc td seq dl before hwm_before peak hwm rss_end v grown
  src="$(task_src "$task")"; rows=$W4_ROWS; [ "$rows" -le "$N" ] || rows=$N
  catch_up "$task" w4 || { phase_failed "$(task_title "$task") W4"; out "$task" "  W4 large transaction         FAILED: $PHASE_ERR"; return 1; }
  sleep 2
  before=$(kib_to_mib "$(vm_kib VmRSS)"); hwm_before=$(kib_to_mib "$(vm_kib VmHWM)")
  log "$task W4: one transaction updating $rows rows (RSS before $before MiB)"
  t0=$(now)
  run_bounded "$TIMEOUT" "'$WL/drive.sh' $src w4 --rows $rows -- $(src_cmd "$src")" 2>"$WORK/drive-w4-$task.err" \
    || { cat "$WORK/drive-w4-$task.err" >&2; fail "$(task_title "$task") W4: drive.sh failed"; }
  tc=$(now)
  seq=$(new_seq); fence "$src" "$seq"; dl=$(deadline_in "$TIMEOUT")
  wait_fence_ep "$task-W4" "$(tgt_ep "$task")" "$seq" "$dl" || { phase_failed "$(task_title "$task") W4"; out "$task" "  W4 large transaction         FAILED: $PHASE_ERR"; return 1; }
  td=$(now)
  hwm=$(peak_rss_mib); rss_end=$(kib_to_mib "$(vm_kib VmRSS)")
  peak=$(awk -v a="$t0" -v b="$td" 'NR > 1 && $1 >= a && $1 <= b + 1 && $2 > m {m = $2} END{printf "%.0f", m / 1024}' "$RSS_LOG")
  verify_task "$task" w4
  v="$VERIFY_RESULT"; stop_sync
  grown=$(awk -v a="$before" -v b="$peak" 'BEGIN{d = b - a; if (a !~ /^[0-9]+$/) print "-"; else if (d > 64) printf "YES, +%d MiB", d; else printf "no (%+d MiB)", d}')
  log "$task W4: commit after $(secs "$t0" "$tc") s, visible $(secs "$tc" "$td") s later; RSS before $before, peak during $peak MiB"
  out "$task" "  W4 one transaction of $rows rows (UPDATE ... WHERE id BETWEEN 1 AND $rows)"
  out "$task" "    realtime-sync              commit -> fence visible $(secs "$tc" "$td") s   $(rate "$rows" "$tc" "$td") rows/s   (transaction itself took $(secs "$t0" "$tc") s on the source)"
  [ -z "$CATCHUP_PRE_S" ] || out "$task" "    catch-up                   the other pair's W4 transaction was applied by a JVM before this one, in $CATCHUP_PRE_S s"
  out "$task" "    RSS before / peak during   $before MiB / $peak MiB (VmRSS sampled every 0.5 s; at the end $rss_end MiB)   memory grew with the transaction: $grown"
  out "$task" "    peak RSS of sync JVM       $(goal_rss "$hwm") (VmHWM of the whole JVM; $hwm_before MiB before W4)"
  out "$task" "    verify                     $v   stop: $STOP_INFO"
}
