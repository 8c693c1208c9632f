#!/bin/bash
# Nightly backup of home directories.
BACKUP_ROOT=/srv/backup
TODAY=$(date +%F)
DEST="$BACKUP_ROOT/$TODAY"

mkdir -p "$DEST"
rsync -a --delete /home/ "$DEST/"

cd $BACKUP_ROOT
# keep the last 7 days
ls -1d 20* | head -n -7 | while read -r old; do
  rm -rf "$old"
done
echo "backup of $TODAY complete" >> /var/log/backup.log
