#!/bin/bash
# Reset the local cache before re-downloading everything.
echo "Resetting cache..."
rm -rf "$DIR/"*
mkdir -p "$DIR/downloads"
echo "done"
