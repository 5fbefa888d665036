#!/usr/bin/env bash
# Installs what the focus's build, tests and demo need on a fresh Debian machine: a JDK 17, Maven, Prosody.
# Prosody is only started by the tests and the demo (in a temp dir, on a free loopback port); its system service
# is left alone.
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v prosody >/dev/null 2>&1 || missing+=(prosody)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# optional: the package tests check the logrotate config with it (skipped without); installed when we are root
if [ "$(id -u)" -eq 0 ] && ! command -v logrotate >/dev/null 2>&1 && [ ! -x /usr/sbin/logrotate ]; then
  missing+=(logrotate)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing: ${missing[*]}. Install them as root: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
