#!/bin/bash
# Nightly cleanup of a CI workspace: delete the last build's output, compress the logs.
# BUILD_DIR and WORKSPACE come from the CI job's environment. On a developer's machine
# they are usually unset, and that is when this script does its damage.

cd $WORKSPACE
rm -rf "$BUILD_DIR/"*
rm -f ./*.tmp

for f in $(ls *.log); do
  gzip "$f"
done

sort -u seen-hosts.txt > seen-hosts.txt
echo "cleaned $BUILD_DIR"
