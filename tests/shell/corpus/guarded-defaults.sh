#!/bin/bash
OUT=${OUT:-/tmp/out}
rm -rf "$OUT/"*
STAGE=/var/tmp/stage
rm -rf "$STAGE"/*
: "${SCRATCH:?set SCRATCH first}"
rm -rf "$SCRATCH/"*
