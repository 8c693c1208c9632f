#!/bin/bash
grep -v DEBUG app.log | tee app.log | wc -l
