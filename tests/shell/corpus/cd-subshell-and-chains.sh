#!/bin/bash
cd /srv/app && make clean
if cd /srv/app/dist; then
  rm -f ./*.map
fi
(cd /srv/app/docs && make html)
cd /srv || { echo "no /srv" >&2; exit 1; }
rm -rf ./tmp
cd ..
