#!/bin/bash
# Show the biggest directories under /var.
du -h --max-depth=1 /var 2>/dev/null | sort -n | tail -n 5
