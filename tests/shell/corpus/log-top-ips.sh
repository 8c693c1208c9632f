#!/bin/bash
LOG=/var/log/nginx/access.log
cut -d' ' -f1 "$LOG" | uniq -c | sort -rn | head -n 10
