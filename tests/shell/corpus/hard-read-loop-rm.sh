#!/bin/bash
while read -r d; do
  rm -rf "$d/"*
done < /etc/app/cleanup-dirs.txt
