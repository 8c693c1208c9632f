#!/bin/bash
clean_build() {
  cd build
  rm -rf ./*
}
cd_checked() {
  cd "$1" || return 1
  ls
}
clean_build
cd_checked /tmp
