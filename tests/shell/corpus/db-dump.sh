#!/bin/bash
set -euo pipefail
: "${DB_NAME:?}" "${DB_USER:?}"
out_dir="/var/backups/db"
mkdir -p "$out_dir"
file="$out_dir/${DB_NAME}-$(date +%F).sql"
pg_dump -U "$DB_USER" "$DB_NAME" > "$file"
gzip -9 "$file"
find "$out_dir" -name '*.sql.gz' -mtime +14 -delete
