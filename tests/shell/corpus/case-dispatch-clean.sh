#!/bin/bash
pidfile=/run/myapp.pid
case "${1:-}" in
  start)
    /opt/myapp/bin/myapp --daemon --pidfile "$pidfile"
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")"
      rm -f "$pidfile"
    fi
    ;;
  status)
    [ -f "$pidfile" ] && echo running || echo stopped
    ;;
  *)
    echo "usage: $0 {start|stop|status}" >&2
    exit 2
    ;;
esac
