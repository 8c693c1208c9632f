#!/bin/bash
sort users.txt > users.txt
grep -v '^$' notes.txt >> notes.txt
cat config.txt | sed 's/old/new/' > config.txt
