# bench/lib/servers.sh: private PostgreSQL clusters and MariaDB servers under $WORK (sourced by bench/run.sh).
# Every server listens on 127.0.0.1 only, on the first free port from 55432 upwards, with its socket in its own
# directory. Only servers this run started are stopped.

USED_PORTS=" "
alloc_port() {  # alloc_port VAR: VAR = next port >= 61432 that nothing listens on and that this run has not handed out;
  # above the kernel's ephemeral range (32768-60999), so no port-0 bind of another program takes it between check and start
  local p=61432
  while [ -n "$(ss -ltnH "( sport = :$p )" 2>/dev/null)" ] || [[ "$USED_PORTS" == *" $p "* ]]; do p=$((p + 1)); done
  USED_PORTS+="$p "
  printf -v "$1" '%s' "$p"
}

# ---------------------------------------------------------------- PostgreSQL 15
stop_cluster() {  # name
  local d="$WORK/$1/data"
  [ -f "$d/postmaster.pid" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$d" -m fast -w -t 60 stop >/dev/null 2>&1 \
    || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$d" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}
init_cluster() {  # name port extra-settings...
  local name="$1" port="$2"; shift 2
  local dir="$WORK/$name"
  mkdir -p "$dir"; chown postgres:postgres "$dir"; chmod 700 "$dir"
  echo bench > "$WORK/pwfile"; chmod 644 "$WORK/pwfile"
  runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$WORK/pwfile" >"$WORK/initdb-$name.log" 2>&1 \
    || { cat "$WORK/initdb-$name.log" >&2; exit 1; }
  rm -f "$WORK/pwfile"
  {
    echo "# bench/run.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "timezone = 'UTC'"
    echo "log_timezone = 'UTC'"
    for s in "$@"; do echo "$s"; done
  } >> "$dir/data/postgresql.conf"
  STARTED_CLUSTERS+=("$name")
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres)
pgq() { "${PSQL[@]}" -p "$1" -d "$2" -At -c "$3"; }            # pgq PORT DB SQL
pg_cmd() { echo "psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $1 -U postgres -d $2"; }   # client command string
PG_SETTINGS_SQL="SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY o)
  FROM unnest(ARRAY['shared_buffers','synchronous_commit','fsync','full_page_writes','wal_level','max_wal_size',
                    'max_replication_slots','max_wal_senders','work_mem','maintenance_work_mem','TimeZone']) WITH ORDINALITY AS s(name, o)"

# ---------------------------------------------------------------- MariaDB 10.11
# start_mariadb NAME PORT EXTRA-OPTIONS...: a new datadir under $WORK/NAME, mariadbd run as root (--user=root),
# user bench/bench with all privileges from 127.0.0.1. Its pid is kept in MARIADB_PIDS for cleanup.
MARIADB_PIDS=()
start_mariadb() {
  local name="$1" port="$2"; shift 2
  local dir="$WORK/$name"
  mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  mariadbd --no-defaults --datadir="$dir/data" --user=root --port="$port" --bind-address=127.0.0.1 \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" --skip-name-resolve \
    --default-time-zone=+00:00 --character-set-server=utf8mb4 --collation-server=utf8mb4_bin "$@" >/dev/null 2>&1 &
  MARIADB_PIDS+=("$!"); eval "MARIADB_PID_$name=$!"
  for _ in $(seq 1 300); do
    mariadb-admin --no-defaults -S "$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && break
    alive "$!" || { tail -20 "$dir/error.log" >&2; echo "run.sh: mariadbd $name did not start" >&2; exit 1; }
    sleep 0.2
  done
  mariadb --no-defaults -S "$dir/mysqld.sock" -uroot -e \
    "CREATE USER bench@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL ON *.* TO bench@'127.0.0.1' WITH GRANT OPTION;" \
    || { echo "run.sh: cannot create user on mariadbd $name" >&2; exit 1; }
}
stop_mariadb() {  # NAME
  local name="$1" v pid; v="MARIADB_PID_$name"; pid="${!v:-}"
  [ -n "$pid" ] && alive "$pid" || return 0
  mariadb-admin --no-defaults -S "$WORK/$name/mysqld.sock" -uroot shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 300); do alive "$pid" || break; sleep 0.2; done
  alive "$pid" && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  eval "MARIADB_PID_$name="
}
myq() { mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$1" -ubench -pbench -N -B ${2:+"$2"} -e "$3"; }  # myq PORT DB|"" SQL
my_cmd() { echo "mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P $1 -ubench -pbench $2"; }           # client command string
MY_SETTINGS_SQL="SELECT CONCAT_WS(' ', CONCAT('innodb_buffer_pool_size=', @@innodb_buffer_pool_size DIV 1048576, 'M'),
  CONCAT('innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit), CONCAT('sync_binlog=', @@sync_binlog),
  CONCAT('log_bin=', @@log_bin), CONCAT('binlog_format=', @@binlog_format), CONCAT('binlog_row_image=', @@binlog_row_image),
  CONCAT('server_id=', @@server_id), CONCAT('time_zone=', @@time_zone), CONCAT('character_set_server=', @@character_set_server))"
