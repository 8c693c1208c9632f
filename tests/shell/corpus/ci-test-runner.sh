#!/bin/bash
set -u
workspace="${CI_WORKSPACE:-$PWD}"
tests=$(find "$workspace/tests" -name 'test_*.py')
(cd "$workspace" || exit 1; python -m pytest $tests)
status=$?
echo "tests finished with $status"
exit "$status"
