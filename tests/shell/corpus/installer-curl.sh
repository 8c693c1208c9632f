#!/bin/bash
PREFIX=${PREFIX:-/usr/local}
VERSION=1.4.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
curl -fsSL -o tool.tar.gz "https://example.com/tool-$VERSION.tar.gz"
tar xzf tool.tar.gz
sudo install -m 0755 tool $PREFIX/bin/tool
echo "installed tool $VERSION"
