#!/bin/bash
input=$1
copy=$input
both=$input$copy
if [[ -n $input && $input == *.txt ]]; then
  echo "text file"
fi
case $input in
  *.gz) echo "compressed" ;;
esac
for word in $input; do
  echo "$word"
done
grep -c x <<< "$both"
