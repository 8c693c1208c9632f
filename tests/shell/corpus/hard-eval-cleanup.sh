#!/bin/bash
target=$(cat /etc/app/target 2>/dev/null)
cmd="rm -rf $target/*"
eval "$cmd"
