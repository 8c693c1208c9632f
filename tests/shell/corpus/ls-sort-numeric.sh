#!/bin/bash
ls /var/log | sort -n
ls -l /var/log | sort -n -k 9
grep -c ERROR /var/log/syslog | sort -n
