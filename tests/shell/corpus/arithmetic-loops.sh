#!/bin/bash
total=0
for ((i = 0; i < 10; i++)); do
  total=$((total + i))
done
(( total > 40 )) && echo "big"
echo "total: $total, squares: $((total * total))"
