#!/bin/bash
ls -l /srv/data | awk -F, '{print $5}' | sort -n
