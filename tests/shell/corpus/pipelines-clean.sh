#!/bin/bash
cut -d: -f1 /etc/passwd | sort | head -n 20
ls -l /srv/data | awk '{print $5}' | sort -n | tail -1
grep -v '^#' config.ini | tr -s ' ' | sort -u > config.clean
cat words.txt | tr ' ' '\n' | sort | uniq -c | sort -rn | head
seq 1 10 | sort -n | tail -3
