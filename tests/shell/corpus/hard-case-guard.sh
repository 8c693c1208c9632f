#!/bin/bash
case "$TARGET" in
  "") echo "TARGET is empty" >&2; exit 1 ;;
  /) echo "refusing /" >&2; exit 1 ;;
esac
rm -rf "$TARGET/"*
