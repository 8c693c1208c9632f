#!/bin/bash
STEAMROOT="$(cd "${0%/*}" && echo "$PWD")"
STEAMDATA="$STEAMROOT"
if [ "$1" = "--reset" ]; then
  echo "Resetting Steam..."
  rm -rf "$STEAMROOT/"*
  exit 0
fi
echo "data in $STEAMDATA"
