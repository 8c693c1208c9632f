#!/bin/bash
APP_DIR=/opt/myapp
RELEASE=$1

echo "Deploying $RELEASE"
cd "$APP_DIR/releases"
rm -rf current
mkdir current
tar xzf /tmp/$RELEASE.tar.gz -C current
ln -sfn "$APP_DIR/releases/current" "$APP_DIR/live"
systemctl restart myapp
