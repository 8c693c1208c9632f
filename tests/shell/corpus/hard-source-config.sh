#!/bin/bash
# shellcheck source=config.sh
. "$(dirname "$0")/config.sh"
echo "connecting to $db_host"
psql -h "$db_host" -c 'select 1'
