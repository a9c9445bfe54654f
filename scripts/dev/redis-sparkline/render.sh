#!/bin/sh
# Renders src/test/resources/sparkline/*.in with Redis 7.0.15's own sparkline.c, writing the
# matching .out files SparklineTest compares Panda's port with.
# usage: render.sh REDIS_GIT_DIR   (a clone of github.com/redis/redis with the 7.0.15 tag)
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$1" show 7.0.15:src/sparkline.c > "$work/sparkline.c"
git -C "$1" show 7.0.15:src/sparkline.h > "$work/sparkline.h"
cp "$here/server.h" "$here/main.c" "$work/"
cc -o "$work/spark" "$work/main.c" "$work/sparkline.c" -lm
for f in "$here"/../../../src/test/resources/sparkline/*.in; do
    "$work/spark" < "$f" > "${f%.in}.out"
done
