#!/bin/bash
src=$1
dst=$2
cp $src $dst
files=$(find . -name '*.tmp')
rm -f $files
touch $(date +%F).stamp
echo "copied"
