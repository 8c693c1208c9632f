#!/bin/bash
WORKDIR=$1
[ -n "$WORKDIR" ] && rm -rf "$WORKDIR/"*
if [ -z "$BUILD" ]; then
  echo "BUILD is not set" >&2
  exit 1
fi
rm -rf "$BUILD"/*
[ -d "$TMPSPACE" ] || exit 1
rm -rf "$TMPSPACE/"*
