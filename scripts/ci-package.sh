#!/usr/bin/env bash
# CI step after the tests: checks the built Debian package (bin/check-package), then, only as root with CI=true
# (or FOCUS_DEB_TEST=1), installs it with dpkg -i, checks what it installed (files, the jicofo user, the launcher
# validating a config made from the installed sample), that a package depending on jicofo (= the version the package
# provides, as jitsi-meet does) installs next to it while one wanting another version is refused, and removes them again.
# Needs the package: mvn -pl focus-app -am package (scripts/test.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "ci-package: FAIL: $*" >&2; exit 1; }
ok() { echo "ci-package: ok: $*"; }

bin/check-package

if [ "$(id -u)" != 0 ] || { [ "${CI:-}" != true ] && [ "${FOCUS_DEB_TEST:-}" != 1 ]; }; then
  echo "ci-package: skipped dpkg -i (only as root with CI=true or FOCUS_DEB_TEST=1)"
  exit 0
fi
if dpkg -s jicofo >/dev/null 2>&1; then
  echo "ci-package: skipped dpkg -i: a real jicofo package is installed here (focus conflicts with it)"
  exit 0
fi
deb="$(readlink -f "$(ls focus-app/target/focus_*_all.deb | head -n1)")"
had_conf=no
[ -e /etc/jitsi/jicofo/jicofo.conf ] && had_conf=yes
work="$(mktemp -d)"
cleanup() {
  dpkg --purge focus-ci-wants-jicofo focus-ci-wants-other-jicofo >/dev/null 2>&1 || true
  dpkg -r focus >/dev/null 2>&1 || true
  if [ "$had_conf" = no ]; then rm -f /etc/jitsi/jicofo/jicofo.conf; fi
  rm -rf "$work"
}
trap cleanup EXIT

dpkg -i "$deb" || fail "dpkg -i $deb"
ok "dpkg -i $(basename "$deb")"
dpkg -s focus | grep -q "^Status: install ok installed" || fail "focus not installed"
for f in /usr/bin/focus /lib/systemd/system/focus.service /etc/default/focus /etc/jitsi/jicofo/jicofo.conf.sample \
         /etc/jitsi/jicofo/focus-logback.xml /etc/jitsi/jicofo/jicofo.conf; do
  [ -e "$f" ] || fail "missing $f"
done
ls /usr/share/focus/lib/focus-app-*.jar >/dev/null || fail "no focus-app jar in /usr/share/focus/lib"
[ -x /usr/bin/focus ] || fail "/usr/bin/focus is not executable"
ok "installed files"
getent passwd jicofo >/dev/null || fail "no jicofo user"
getent group jitsi >/dev/null || fail "no jitsi group"
[ "$(stat -c %U:%G /etc/jitsi/jicofo)" = jicofo:jitsi ] || fail "/etc/jitsi/jicofo is not jicofo:jitsi"
ok "user jicofo, group jitsi, /etc/jitsi/jicofo owned by them"

# the sample as installed lacks the required keys: refused with exit 2 naming the key
set +e
out="$(/usr/bin/focus --check-config --config /etc/jitsi/jicofo/jicofo.conf.sample 2>&1)"; code=$?
set -e
[ "$code" -eq 2 ] || fail "--check-config of the bare sample exited $code: $out"
grep -q "jicofo.bridge.brewery-jid\|jicofo.xmpp.client" <<<"$out" || fail "the error does not name the key: $out"
ok "the bare sample is refused with exit 2: $out"
# the sample with what an operator must fill in: accepted by the installed launcher, run as jicofo
cp /etc/jitsi/jicofo/jicofo.conf.sample "$work/jicofo.conf"
cat >> "$work/jicofo.conf" <<'CONF'
jicofo.bridge.brewery-jid = "JvbBrewery@internal.auth.meet.example.com"
jicofo.xmpp.client { xmpp-domain = "meet.example.com", domain = "auth.meet.example.com", password = "s3cret" }
CONF
chmod 755 "$work"; chmod 644 "$work/jicofo.conf"
out="$(runuser -u jicofo -- /usr/bin/focus --check-config --config "$work/jicofo.conf")" || fail "--check-config: $out"
grep -q "configuration OK" <<<"$out" || fail "--check-config said: $out"
grep -q "s3cret" <<<"$out" && fail "--check-config printed the password"
ok "installed launcher validates the filled-in sample (as user jicofo)"

# Provides: jicofo (= V) satisfies what jitsi-meet asks for (Depends: jicofo (= V)), and only that version
provided="$(dpkg-deb -f "$deb" Provides | sed -n 's/^jicofo (= \([^)]*\))$/\1/p')"
[ -n "$provided" ] || fail "Provides is not 'jicofo (= VERSION)': $(dpkg-deb -f "$deb" Provides)"
dummy() { # name, the jicofo version it depends on: builds $work/name.deb
  mkdir -p "$work/$1/DEBIAN"
  cat > "$work/$1/DEBIAN/control" <<CONTROL
Package: $1
Version: 1.0
Architecture: all
Maintainer: the focus developers <focus@localhost>
Depends: jicofo (= $2)
Description: CI check: depends on jicofo (= $2) as jitsi-meet does
CONTROL
  dpkg-deb --build "$work/$1" "$work/$1.deb" >/dev/null || fail "dpkg-deb --build $1"
}
dummy focus-ci-wants-jicofo "$provided"
dpkg -i "$work/focus-ci-wants-jicofo.deb" || fail "a package depending on jicofo (= $provided) was refused"
dpkg -s focus-ci-wants-jicofo | grep -q "^Status: install ok installed" || fail "focus-ci-wants-jicofo not installed"
ok "a package depending on jicofo (= $provided) installs next to focus"
dummy focus-ci-wants-other-jicofo "$provided+other"
set +e
out="$(dpkg -i "$work/focus-ci-wants-other-jicofo.deb" 2>&1)"; code=$?
set -e
[ "$code" -ne 0 ] || fail "a package depending on jicofo (= $provided+other) was accepted"
dpkg -s focus-ci-wants-other-jicofo 2>/dev/null | grep -q "^Status: install ok installed" \
  && fail "focus-ci-wants-other-jicofo is installed"
grep -qF "depends on jicofo (= $provided+other)" <<<"$out" || fail "dpkg refused focus-ci-wants-other-jicofo but not over jicofo: $out"
ok "a package depending on jicofo (= $provided+other) is refused"
dpkg --purge focus-ci-wants-jicofo focus-ci-wants-other-jicofo >/dev/null || fail "dpkg --purge of the test packages"

dpkg -r focus || fail "dpkg -r focus"
[ ! -e /usr/bin/focus ] || fail "/usr/bin/focus left after dpkg -r"
ok "dpkg -r focus"
