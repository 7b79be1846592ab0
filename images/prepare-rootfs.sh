#!/bin/sh
# Run by both Containerfiles as their first step: the runtime packages
# (already in scripts/image's offline base; a public base installs them)
# and the unprivileged user 10001 every deployable runs as.
set -eu
packages=$(grep -v '^#' /tmp/runtime-packages)
if ! dpkg -s $packages >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends $packages
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
fi
rm /tmp/runtime-packages /tmp/prepare-rootfs.sh
groupadd --gid 10001 unionhub
useradd --uid 10001 --gid 10001 --no-create-home \
  --home-dir /nonexistent --shell /usr/sbin/nologin unionhub
