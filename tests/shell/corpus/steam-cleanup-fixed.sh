#!/bin/bash
set -u
# Reset the local cache before re-downloading everything.
DIR="${DIR:?DIR must point at the cache}"
echo "Resetting cache in $DIR..."
rm -rf "${DIR:?}/"*
mkdir -p "$DIR/downloads"
