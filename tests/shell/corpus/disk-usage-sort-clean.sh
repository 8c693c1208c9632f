#!/bin/bash
du -h --max-depth=1 /var 2>/dev/null | sort -h | tail -n 5
du -k --max-depth=1 /var 2>/dev/null | sort -n | tail -n 5
