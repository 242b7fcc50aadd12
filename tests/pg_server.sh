# shellcheck shell=bash
# Sourced by the database tests: a PostgreSQL server of their own, its
# data in a directory they give, listening only on a Unix socket there (no
# TCP), fsync off (a test's data need not survive a power cut). initdb and
# postgres refuse root: as root they run as the user postgres.
#   pg_find            pgbin: the server binaries' directory ("" when none)
#   pg_start SOCK DATA [INITDB-ARG...]
#                      initdb DATA and start the server, its socket in SOCK
#                      (both made accessible to the server's user); 1 with a
#                      line on stderr when it fails
#   pg_stop [MODE]     stop it (pg_ctl's mode, default immediate), if running
#   pg_url DB          the URL of database DB as the user vb
pgbin="" pgdata="" pgsock=""

as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_find() {
	local d
	pgbin=""
	for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
	command -v psql >/dev/null || pgbin=""
}

pg_start() {
	pgsock=$1 pgdata=$2
	shift 2
	[ "$(id -u)" != 0 ] || chown postgres "$pgsock" "$(dirname "$pgdata")"
	chmod 755 "$pgsock"
	as_pg "$pgbin/initdb" -D "$pgdata" -U vb --auth=trust "$@" >"$pgsock/initdb.log" 2>&1 ||
		{ echo "FAIL: initdb: $(tail -n 3 "$pgsock/initdb.log")" >&2; return 1; }
	as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgsock/pg.log" -w \
		-o "-k $pgsock -c listen_addresses='' -c fsync=off" start >/dev/null ||
		{ echo "FAIL: pg_ctl start: $(tail -n 3 "$pgsock/pg.log")" >&2; return 1; }
}

pg_stop() {
	if [ -n "$pgbin" ] && [ -n "$pgdata" ] && [ -e "$pgdata/postmaster.pid" ]; then
		as_pg "$pgbin/pg_ctl" -D "$pgdata" -m "${1:-immediate}" -w stop >/dev/null 2>&1
	fi
}

pg_url() {
	echo "postgresql:///$1?host=$pgsock&user=vb"
}
