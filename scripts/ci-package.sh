#!/usr/bin/env bash
# CI step after the tests: checks the built Debian package (bin/check-package), then, only as root with CI=true
# (or FOCUS_DEB_TEST=1), installs it with dpkg -i, checks what it installed (files, the jicofo user, the log
# directory, jicofo.service enabled with its alias, the launcher validating a config made from the installed sample
# and reading /etc/jitsi/jicofo/config, the daemon run as jicofo writing jicofo.log in Jicofo's format through a
# forced logrotate), that a package depending on jicofo (= the version the package
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
had_shell_conf=no
[ -e /etc/jitsi/jicofo/config ] && had_shell_conf=yes
work="$(mktemp -d)"
daemon=""
cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then kill -KILL "$daemon" 2>/dev/null || true; fi
  dpkg --purge focus-ci-wants-jicofo focus-ci-wants-other-jicofo >/dev/null 2>&1 || true
  dpkg -r focus >/dev/null 2>&1 || true
  if [ "$had_conf" = no ]; then rm -f /etc/jitsi/jicofo/jicofo.conf; fi
  if [ "$had_shell_conf" = no ]; then rm -f /etc/jitsi/jicofo/config; fi
  rm -rf "$work"
}
trap cleanup EXIT

dpkg -i "$deb" || fail "dpkg -i $deb"
ok "dpkg -i $(basename "$deb")"
dpkg -s focus | grep -q "^Status: install ok installed" || fail "focus not installed"
for f in /usr/bin/focus /lib/systemd/system/jicofo.service /etc/default/focus /etc/jitsi/jicofo/jicofo.conf.sample \
         /etc/jitsi/jicofo/focus-logback.xml /etc/jitsi/jicofo/jicofo.conf /etc/logrotate.d/jicofo; do
  [ -e "$f" ] || fail "missing $f"
done
[ ! -e /lib/systemd/system/focus.service ] || fail "/lib/systemd/system/focus.service installed (the unit is jicofo.service)"
ls /usr/share/focus/lib/focus-app-*.jar >/dev/null || fail "no focus-app jar in /usr/share/focus/lib"
[ -x /usr/bin/focus ] || fail "/usr/bin/focus is not executable"
ok "installed files"
getent passwd jicofo >/dev/null || fail "no jicofo user"
getent group jitsi >/dev/null || fail "no jitsi group"
[ "$(stat -c %U:%G /etc/jitsi/jicofo)" = jicofo:jitsi ] || fail "/etc/jitsi/jicofo is not jicofo:jitsi"
ok "user jicofo, group jitsi, /etc/jitsi/jicofo owned by them"
[ "$(stat -c %U:%G:%a /var/log/jitsi)" = jicofo:jitsi:770 ] || fail "/var/log/jitsi is $(stat -c %U:%G:%a /var/log/jitsi)"
[ "$(stat -c %U:%G:%a /var/log/jitsi/jicofo.log)" = jicofo:jitsi:640 ] \
  || fail "/var/log/jitsi/jicofo.log is $(stat -c %U:%G:%a /var/log/jitsi/jicofo.log)"
ok "/var/log/jitsi (jicofo:jitsi 770) and jicofo.log (640) made by the postinst"
# enabled under Jicofo's name (systemctl status jicofo, journalctl -u jicofo), focus.service its alias; the links
# are made with or without a running systemd
[ "$(readlink /etc/systemd/system/multi-user.target.wants/jicofo.service)" = /lib/systemd/system/jicofo.service ] \
  || fail "jicofo.service is not enabled (multi-user.target.wants)"
[ "$(readlink /etc/systemd/system/focus.service)" = /lib/systemd/system/jicofo.service ] \
  || fail "focus.service is not an alias of jicofo.service"
state="$(systemctl is-enabled jicofo.service 2>&1 || true)"
[ "$state" = enabled ] || fail "systemctl is-enabled jicofo.service: $state"
ok "jicofo.service enabled, focus.service its alias"

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

# the installed launcher uses Jicofo's /etc/jitsi/jicofo/config (read, not run): JICOFO_MAX_MEMORY after the default
if [ "$had_shell_conf" = no ]; then
  printf 'JICOFO_MAX_MEMORY=300m\nJAVA_SYS_PROPS="-Dci.marker=$(touch${IFS}%s/ran)"\n' "$work" > /etc/jitsi/jicofo/config
  chown jicofo:jitsi /etc/jitsi/jicofo/config
  cmd="$(runuser -u jicofo -- env FOCUS_PRINT_COMMAND=1 /usr/bin/focus --version)" || fail "launcher: $cmd"
  default_at="$(grep -nx -- "-Xmx1g" <<<"$cmd" | cut -d: -f1)"
  jicofo_at="$(grep -nx -- "-Xmx300m" <<<"$cmd" | cut -d: -f1)"
  [ -n "$default_at" ] && [ -n "$jicofo_at" ] && [ "$default_at" -lt "$jicofo_at" ] \
    || fail "no -Xmx300m after -Xmx1g: $cmd"
  grep -qx -- "-Dlogback.configurationFile=/etc/jitsi/jicofo/focus-logback.xml" <<<"$cmd" || fail "logging config: $cmd"
  grep -qxF -- '-Dci.marker=$(touch${IFS}'"$work"'/ran)' <<<"$cmd" || fail "JAVA_SYS_PROPS not literal: $cmd"
  [ ! -e "$work/ran" ] || fail "the launcher ran a command substitution of /etc/jitsi/jicofo/config"
  rm -f /etc/jitsi/jicofo/config
  ok "installed launcher: -Xmx300m from JICOFO_MAX_MEMORY after its -Xmx1g, JAVA_SYS_PROPS kept literal, nothing run"
else
  echo "ci-package: skipped the /etc/jitsi/jicofo/config check: this machine has one"
fi

# the installed daemon as the service runs it (user jicofo, the installed logging config): jicofo.log in Jicofo's
# format, rotated by the packaged logrotate file while it runs, and written on after the rotation
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cp "$work/jicofo.conf" "$work/daemon.conf"
cat >> "$work/daemon.conf" <<CONF
jicofo.rest.port = $port
# no XMPP server is needed: do not wait for the login and the brewery before serving HTTP
focus.startup { xmpp-timeout = 1 second, brewery-timeout = 1 second }
CONF
chmod 644 "$work/daemon.conf"
: > /var/log/jitsi/jicofo.log
setpriv --reuid=jicofo --regid=jitsi --init-groups env FOCUS_SHELL_CONFIG="$work/absent" \
  /usr/bin/focus --config "$work/daemon.conf" >"$work/console" 2>&1 &
daemon=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/about/version" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/about/version" >/dev/null || { cat "$work/console"; fail "the installed daemon did not answer"; }
line="$(grep -m1 'Starting focus' /var/log/jitsi/jicofo.log || true)"
grep -qE '^Jicofo [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} INFO: \[[0-9]+\] Main\.run#[0-9]+: Starting focus ' <<<"$line" \
  || { cat /var/log/jitsi/jicofo.log; fail "no Jicofo-format start line in /var/log/jitsi/jicofo.log: $line"; }
grep -q "Starting focus" "$work/console" || fail "the console (the journal under systemd) lacks the start line"
ok "installed daemon as jicofo logs to /var/log/jitsi/jicofo.log in Jicofo's format: $line"
if command -v logrotate >/dev/null; then
  logrotate -f -s "$work/logrotate.state" /etc/logrotate.d/jicofo || fail "logrotate -f /etc/logrotate.d/jicofo"
  grep -q "Starting focus" /var/log/jitsi/jicofo.log.1 || fail "the rotated jicofo.log.1 lacks the start line"
  kill -HUP "$daemon"
  for _ in $(seq 1 50); do grep -q "reload: configuration unchanged" /var/log/jitsi/jicofo.log && break; sleep 0.2; done
  grep -q "reload: configuration unchanged" /var/log/jitsi/jicofo.log || fail "nothing written to jicofo.log after rotation"
  [ "$(head -c1 /var/log/jitsi/jicofo.log | od -An -tx1 | tr -d ' ')" = 4a ] \
    || fail "jicofo.log does not start with a line after rotation (a hole left by copytruncate?)"
  rm -f /var/log/jitsi/jicofo.log.*
  ok "logrotate (packaged file, forced): jicofo.log.1 kept, the running daemon writes on at the start of jicofo.log"
else
  echo "ci-package: skipped the rotation check: logrotate not installed"
fi
kill -TERM "$daemon"
set +e; wait "$daemon"; code=$?; set -e
daemon=""
[ "$code" -eq 0 ] || { cat "$work/console"; fail "exit code after SIGTERM was $code"; }

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
for l in /etc/systemd/system/multi-user.target.wants/jicofo.service /etc/systemd/system/focus.service; do
  [ ! -L "$l" ] || fail "$l left after dpkg -r"
done
ok "dpkg -r focus (unit links gone)"
