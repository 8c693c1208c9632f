#!/bin/bash
retries=3
mode=fast
n=$((retries * 2))
echo Retrying $retries times in $mode mode, $n attempts
echo $# arguments, last status $?
[ $retries -gt 0 ] && echo ok
