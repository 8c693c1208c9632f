#!/bin/bash
usage() {
  echo "usage: $0 [-v] FILE" >&2
  exit 1
}

if [ $# -lt 1 ]; then
  usage
fi
echo "processing $1"
exit 0
echo "cleanup"
rm -f /tmp/processing.lock
