#!/usr/bin/env bash
# Install Debian's Java 17 runtime for the Spark tests (tests/test_scale.py), if missing.
# Idempotent and quiet. Never fails the build: where nothing can be installed (not root, no
# apt-get, no network) it says so, and the Spark tests skip with a clear message.
set -u
# Spark 4 needs Java 17 or later: an older java on PATH does not count.
if command -v java >/dev/null 2>&1 \
   && java -version 2>&1 | head -1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-java: Java 17+ missing and cannot apt-get install it (need root + apt);" \
         "the Spark tests will be skipped" >&2
    exit 0
fi
echo "install-java: installing Debian openjdk-17-jre-headless (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null 2>&1; then
    echo "install-java: $(java -version 2>&1 | head -1)" >&2
else
    echo "install-java: apt-get install openjdk-17-jre-headless failed; the Spark tests will be skipped" >&2
fi
exit 0
