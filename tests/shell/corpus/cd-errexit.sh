#!/bin/sh
set -e
cd /var/cache/app
rm -rf ./*
