#!/usr/bin/env bash
set -euo pipefail

src="${1:?usage: backup.sh SRC DEST}"
dest="${2:?usage: backup.sh SRC DEST}"
stamp="$(date +%Y%m%d-%H%M%S)"

mkdir -p "$dest"
tar -czf "$dest/backup-$stamp.tar.gz" -C "$src" .
cd "$dest"
for old in backup-*.tar.gz; do
  [ -e "$old" ] || continue
  if [ "$old" != "backup-$stamp.tar.gz" ]; then
    echo "keeping $old"
  fi
done
