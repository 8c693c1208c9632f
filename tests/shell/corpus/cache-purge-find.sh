#!/bin/bash
CACHE=$XDG_CACHE_DIR
find "$CACHE/" -type f -mtime +14 -delete
echo "purged"
