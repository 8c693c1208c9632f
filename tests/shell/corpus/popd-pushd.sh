#!/bin/bash
pushd /srv/repo > /dev/null
git pull
popd > /dev/null
pushd /srv/other > /dev/null || exit 1
git pull
popd > /dev/null || exit 1
