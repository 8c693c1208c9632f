#!/bin/bash
sort words.txt | uniq -c | sort -rn | cut -f2 | head -5
