#!/bin/bash
sort -o users.txt users.txt
sort users.txt > users.txt.tmp && mv users.txt.tmp users.txt
sed -i 's/old/new/' config.txt
grep -v '^$' notes.txt > notes.clean
