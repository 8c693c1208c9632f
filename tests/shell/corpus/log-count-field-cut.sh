#!/bin/bash
grep ERROR app.log | sort | uniq -c | cut -d' ' -f2
