# bench/lib/targets.sh: what a task (pp, pm, mp, mm) reads from and writes to (sourced by bench/run.sh).
#   pp  PostgreSQL bench      -> PostgreSQL database sync   (examples/postgres-to-postgres.yaml)
#   pm  PostgreSQL bench      -> MariaDB database psync     (the same example with its own task, slot and publication; W1 only)
#   mp  MariaDB bench         -> PostgreSQL database msync  (examples/mysql-to-postgres.yaml, SOURCE_FLAVOUR=mariadb)
#   mm  MariaDB bench         -> MariaDB database sync      (examples/mysql-to-mysql.yaml, SOURCE_FLAVOUR=mariadb)

task_title() { case "$1" in pp) echo "PostgreSQL -> PostgreSQL";; pm) echo "PostgreSQL -> MariaDB";; mp) echo "MariaDB -> PostgreSQL";; mm) echo "MariaDB -> MariaDB";; esac; }
task_src() { case "$1" in pp|pm) echo pg;; *) echo mariadb;; esac; }
task_slot() { case "$1" in pm) echo realtime_sync_pm;; *) echo realtime_sync;; esac; }  # PostgreSQL sources only
tgt_db() { case "$1" in mp) echo msync;; pm) echo psync;; *) echo sync;; esac; }
src_ep() { if [ "$1" = pg ]; then echo "pg://postgres@127.0.0.1:$PGS_PORT/bench"; else echo "mariadb://bench:bench@127.0.0.1:$MS_PORT/bench"; fi; }
src_cmd() { if [ "$1" = pg ]; then pg_cmd "$PGS_PORT" bench; else my_cmd "$MS_PORT" bench; fi; }
sq() { if [ "$1" = pg ]; then pgq "$PGS_PORT" bench "$2"; else myq "$MS_PORT" bench "$2"; fi; }   # sq SRC SQL
tgt_is_pg() { [ "$1" = pp ] || [ "$1" = mp ]; }
tgt_ep() { if tgt_is_pg "$1"; then echo "pg://postgres@127.0.0.1:$PGT_PORT/$(tgt_db "$1")"; else echo "mariadb://bench:bench@127.0.0.1:$MT_PORT/$(tgt_db "$1")"; fi; }
tq() {  # tq TASK SQL: one query on the task's target database
  if tgt_is_pg "$1"; then pgq "$PGT_PORT" "$(tgt_db "$1")" "$2"; else myq "$MT_PORT" "$(tgt_db "$1")" "$2"; fi
}
# fence SRC SEQ: bumps bench_fence on a source
fence() { "$WL/gen.sh" "$1" fence "$2" | $(src_cmd "$1") >/dev/null; }
new_seq() { local s; s=$(date +%s%3N); [ "$s" -gt "${LAST_SEQ:-0}" ] || s=$((LAST_SEQ + 1)); LAST_SEQ=$s; echo "$s"; }
orders_exists() {  # the target holds table orders (visible to other sessions)
  if tgt_is_pg "$1"; then [ "$(tq "$1" "SELECT to_regclass('public.orders') IS NOT NULL" 2>/dev/null)" = t ]
  else [ "$(tq "$1" "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$(tgt_db "$1")' AND TABLE_NAME = 'orders'" 2>/dev/null)" = 1 ]; fi
}
tgt_count() { tq "$1" "SELECT count(*) FROM orders" 2>/dev/null || true; }
# capture_started TASK: the sync reads the source's change stream. PostgreSQL: slot realtime_sync exists (created
# when the snapshot is taken) or, with ACTIVE, is in use. MariaDB: a binlog dump thread of user bench is connected
# (the connector opens it once the snapshot has been read).
capture_started() {
  if [ "$(task_src "$1")" = pg ]; then
    if [ "${2:-}" = active ]; then [ "$(sq pg "SELECT active FROM pg_replication_slots WHERE slot_name = '$(task_slot "$1")'")" = t ]
    else [ "$(sq pg "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$(task_slot "$1")'")" = 1 ]; fi
  else
    [ "$(sq mariadb "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = 'bench'")" -ge 1 ] 2>/dev/null
  fi
}
# drop_dump_threads: a stopped sync's binlog dump thread can stay in the source's process list until the server next
# writes to it; capture_started would take it for the new JVM's. Kill those of user bench before a MariaDB task starts.
drop_dump_threads() {
  local id
  for id in $(sq mariadb "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = 'bench'"); do
    sq mariadb "KILL $id" >/dev/null 2>&1 || true
  done
}
extra_tables() { local i; for ((i = 1; i < TABLES; i++)); do printf 't%03d ' "$i"; done; }

# verify_task TASK LABEL [extras]: verify.sh of orders and bench_fence (and the extra tables when asked) between the
# task's source and target. Sets VERIFY_RESULT; anything but MATCH is recorded as a failure.
# Across engines (MariaDB -> PostgreSQL, PostgreSQL -> MariaDB): verify.sh compares orders in its cross-engine form
# (bench_fence and the extra tables only in a same-engine form), so bench_fence is compared by its seq and the extra
# tables by row count. verify.sh's PostgreSQL side needs orders.flag to be boolean; when a PostgreSQL target has
# another type (the sync maps MariaDB BOOLEAN = tinyint(1) to smallint), the plain check fails and it is repeated on a
# view that reads flag <> 0 as boolean. The result then says so.
verify_task() {
  local task="$1" label="$2" extras="${3:-}" src tbls note="" s t
  src="$(task_src "$task")"
  if [ "$task" = pp ] || [ "$task" = mm ]; then
    tbls=(orders bench_fence); [ -n "$extras" ] && [ "$TABLES" -gt 1 ] && tbls+=($(extra_tables))
    run_verify "$label" "$(src_ep "$src")" "$(tgt_ep "$task")" "${tbls[@]}"
  else
    run_verify "$label" "$(src_ep "$src")" "$(tgt_ep "$task")" orders
    if [[ "$VERIFY_RESULT" == ERROR* ]] && grep -q 'must be type boolean' <<<"$VERIFY_OUT"; then
      local ft; ft="$(tq "$task" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.orders'::regclass AND attname = 'flag'")"
      tq "$task" "CREATE SCHEMA IF NOT EXISTS bench_verify; CREATE OR REPLACE VIEW bench_verify.orders AS SELECT id, customer_id, status, amount, qty, created_at, updated_at, note, (flag <> 0) AS flag, payload FROM public.orders" >/dev/null
      PGOPTIONS="-c search_path=bench_verify,public" run_verify "$label-flagview" "$(src_ep "$src")" "$(tgt_ep "$task")" orders
      note=" (orders.flag is $ft on the target and verify.sh needs boolean: checked through a view with flag <> 0)"
      tq "$task" "DROP SCHEMA bench_verify CASCADE" >/dev/null
    fi
    if [ "$VERIFY_RESULT" = MATCH ]; then
      s="$(sq "$src" "SELECT seq FROM bench_fence WHERE id = 1")"; t="$(tq "$task" "SELECT seq FROM bench_fence WHERE id = 1")"
      [ "$s" = "$t" ] || { VERIFY_RESULT="MISMATCH (bench_fence.seq $t, source $s)"; }
    fi
    if [ "$VERIFY_RESULT" = MATCH ] && [ -n "$extras" ] && [ "$TABLES" -gt 1 ]; then
      local bad=0
      for x in $(extra_tables); do
        [ "$(sq "$src" "SELECT COUNT(*) FROM $x")" = "$(tq "$task" "SELECT count(*) FROM $x" 2>/dev/null)" ] || bad=$((bad + 1))
      done
      [ "$bad" = 0 ] || VERIFY_RESULT="MISMATCH ($bad extra tables differ in row count)"
      note+=" (bench_fence by seq, $((TABLES - 1)) extra tables by row count)"
    elif [ "$VERIFY_RESULT" = MATCH ]; then note+=" (bench_fence by seq)"; fi
    VERIFY_RESULT+="$note"
  fi
  [[ "$VERIFY_RESULT" == MATCH* ]] || fail "$(task_title "$task") $label verify: $VERIFY_RESULT"
}
