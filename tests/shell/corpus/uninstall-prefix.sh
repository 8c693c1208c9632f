#!/bin/bash
# Remove everything we installed.
echo "Removing files from $PREFIX"
rm -rf "$PREFIX"/share/tool
rm -rf "$PREFIX/"
