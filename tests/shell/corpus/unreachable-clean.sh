#!/bin/bash
main() {
  [ -n "${1:-}" ] || { echo "need an argument" >&2; exit 1; }
  helper "$1"
}

helper() {
  echo "helping with $1"
  return 0
}

main "$@"
