#!/bin/bash
repo_dir="/srv/www/site"
branch="${1:-main}"

cd "$repo_dir" || exit 1
git fetch origin
git checkout "$branch"
git reset --hard "origin/$branch"
npm ci
npm run build
rsync -a --delete build/ /var/www/html/
