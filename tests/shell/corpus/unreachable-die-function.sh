#!/bin/bash
die() {
  echo "error: $*" >&2
  exit 1
}

[ -f /etc/app.conf ] || die "missing config"
echo "config found"
die "not implemented yet"
echo "starting app"
