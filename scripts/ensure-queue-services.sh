#!/bin/sh
# Makes sure the services of the queue-mode e2e suite (test/e2e/queue-mode.test.ts) are installed:
# PostgreSQL (initdb, pg_ctl, psql) and Redis (redis-server), from Debian's packages.
# Prints two lines on stdout and exits 0:
#   PG_BIN=<folder holding initdb, pg_ctl, postgres, psql>
#   REDIS_SERVER=<path of redis-server>
# Exits 3 when one is missing and cannot be installed here (not root, or no apt-get).
# PG_BIN and REDIS_SERVER in the environment pick other installations.
set -e
find_pg_bin() {
	for d in "$PG_BIN" /usr/lib/postgresql/*/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}
find_redis() {
	for c in "$REDIS_SERVER" /usr/bin/redis-server "$(command -v redis-server 2>/dev/null || true)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}
missing=""
find_pg_bin >/dev/null || missing="$missing postgresql"
find_redis >/dev/null || missing="$missing redis-server"
if [ -n "$missing" ]; then
	if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "ensure-queue-services: missing$missing, and it cannot be installed here (needs root and apt-get)" >&2
		exit 3
	fi
	echo "ensure-queue-services: installing Debian's$missing (apt-get install)" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
fi
pg=$(find_pg_bin) || { echo "ensure-queue-services: no initdb/pg_ctl/psql after installing postgresql" >&2; exit 1; }
redis=$(find_redis) || { echo "ensure-queue-services: no redis-server after installing redis-server" >&2; exit 1; }
echo "PG_BIN=$pg"
echo "REDIS_SERVER=$redis"
