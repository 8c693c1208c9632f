#!/bin/bash
if [ -f /etc/app.conf ]; then
  echo "found"
echo "no fi"
