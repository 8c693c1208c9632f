#!/bin/bash
SRC=$1
BACKUP_DIR=$2
stamp=$(date +%Y%m%d)
archive=$BACKUP_DIR/site-$stamp.tar.gz

tar czf $archive -C $SRC .
find "$BACKUP_DIR" -name 'site-*.tar.gz' -mtime +30 -delete
echo "wrote $archive"
