#!/usr/bin/env bash
# Installs portmatrix_*.deb with apt-get as an operator would, on a throwaway copy of this
# machine, and checks what the package does: the binary runs with /opt/swift and the checkout
# hidden, `config validate`, the agent answering Debian's check_nrpe as the `portmatrix` user,
# an upgrade that keeps an edited configuration, remove, and a purge that leaves nothing.
#   Tests/Package/install-test.sh DEB
# The copy: an overlay over / whose writable layer is a tmpfs, in private mount and network
# namespaces (only loopback). Nothing reaches the host's /usr, /etc or /var, and everything
# vanishes with the namespaces, even when a check fails or the script is killed.
# Prints "ok: ..." per check, "FAIL: ..." per failure; exit 0 only if all passed, 77 to skip.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DEB" >&2; exit 64; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (mount namespaces, chroot)"; exit 77; }

if [ -z "${PM_INSTALL_TEST_INSIDE:-}" ]; then
  deb=$(realpath "$1")
  exec unshare --mount --net --propagation private env PM_INSTALL_TEST_INSIDE=1 "$(realpath "$0")" "$deb"
fi

deb=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# check NAME COMMAND...: runs the command; ok or FAIL with its output.
check() {
  local name=$1; shift
  local output
  if output=$("$@" 2>&1); then ok "$name"; else fail "$name: $output"; fi
}

work=$(mktemp -d /tmp/portmatrix-deb-test.XXXXXX)
cleanup() {
  # Children first (the agent), then the mounts; only our own folder is removed.
  [ -n "${agent_pid:-}" ] && kill -KILL "$agent_pid" 2>/dev/null
  umount -R "$work/layer" 2>/dev/null || umount -R -l "$work/layer" 2>/dev/null || true
  rmdir "$work/layer" 2>/dev/null; rmdir "$work" 2>/dev/null || true
}
trap cleanup EXIT

# The writable layer on a tmpfs (not on the disk under /: an overlay refuses layers inside its lower layer).
mkdir "$work/layer"
mount -t tmpfs -o mode=0755 portmatrix-deb-test "$work/layer"
mkdir "$work/layer/upper" "$work/layer/work" "$work/layer/root"
root=$work/layer/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/layer/upper,workdir=$work/layer/work" "$root"
mount -t proc proc "$root/proc"
for dir in run tmp var/tmp; do mount -t tmpfs tmpfs "$root/$dir"; done
# A /dev of our own: the few nodes apt, dpkg and the agent open (not the host's, never bound in).
mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
for node in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9"; do
  set -- $node; mknod -m 0666 "$root/dev/$1" c "$2" "$3"
done
ln -s /proc/self/fd "$root/dev/fd"
# What a gateway does not have: the Swift toolchain and the build folder (the whole checkout).
for hidden in /opt/swift "$repo"; do
  [ -d "$root$hidden" ] && mount -t tmpfs -o mode=0755,size=1m tmpfs "$root$hidden"
done
mkdir -p "$root/srv/debs"
cp "$deb" "$root/srv/debs/"
ip link set lo up

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
name=$(basename "$deb")
version=$(dpkg-deb -f "$deb" Version)

check "the toolchain and the checkout are hidden" in_root sh -c '! ls /opt/swift/usr/bin/swift && ! ls "$1/Package.swift"' - "$repo"
check "apt-get install ./$name" in_root apt-get install -y -q --no-install-recommends "/srv/debs/$name"
check "portmatrix --version prints $version" in_root sh -c '[ "$(portmatrix --version)" = "$1" ]' - "$version"
check "every library the binary needs is Debian's" in_root sh -c '! ldd /usr/bin/portmatrix | grep -E "not found|/opt/swift|libswift|libFoundation"'
check "portmatrix plan (embedded profile, no resource bundle)" in_root portmatrix plan --config /etc/portmatrix/portmatrix.yaml
check "config validate of the shipped configuration" in_root portmatrix config validate /etc/portmatrix/portmatrix.yaml
check "the system user portmatrix (no login)" in_root sh -c 'u=$(getent passwd portmatrix) && [ "$(echo "$u" | cut -d: -f3)" -lt 1000 ] && [ "$(echo "$u" | cut -d: -f7)" = /usr/sbin/nologin ]'
check "/var/lib/portmatrix is portmatrix's, 0700" in_root sh -c '[ "$(stat -c %U:%G:%a /var/lib/portmatrix)" = portmatrix:portmatrix:700 ]'
check "the configuration is root:portmatrix 0640" in_root sh -c '[ "$(stat -c %U:%G:%a /etc/portmatrix/portmatrix.yaml)" = root:portmatrix:640 ]'
check "the unit and the MIB are in place" in_root sh -c 'grep -q "^ExecStart=/usr/bin/portmatrix agent" /lib/systemd/system/portmatrix.service && [ -f /usr/share/snmp/mibs/PORTMATRIX-MIB.txt ]'

# The operator's edit: a loopback site, NRPE with TLS (the agent makes its key in /var/lib/portmatrix).
edited=$(cat <<'YAML'
# edited by the operator
roles: [appliance]
choices: { ntp: internal }
hosts: { vendor-servers: ["127.0.0.1:1"], name-server-internal: ["127.0.0.1:1"] }
schedule: { interval: 1s, timeout: 500ms, jitter: 0s }
nrpe: { listen: ["127.0.0.1:5666"], tls: { mode: on } }
snmp: { mode: off }
YAML
)
printf '%s\n' "$edited" > "$root/etc/portmatrix/portmatrix.yaml"
check "config validate of the edited configuration" in_root portmatrix config validate /etc/portmatrix/portmatrix.yaml

# The agent as the unit runs it: user portmatrix from the start (the unit's User=).
chroot "$root" /usr/bin/setpriv --reuid=portmatrix --regid=portmatrix --init-groups \
  /usr/bin/portmatrix agent --config /etc/portmatrix/portmatrix.yaml >"$work/layer/agent.log" 2>&1 &
agent_pid=$!
answer=""
for _ in $(seq 1 100); do
  if answer=$(in_root /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p 5666 -t 5 2>&1); then break; fi
  sleep 0.2
done
if [[ $answer == *portmatrix* ]]; then ok "check_nrpe gets the agent's answer: $answer"
else fail "check_nrpe: $answer; agent log: $(cat "$work/layer/agent.log")"; fi
uid=$(in_root id -u portmatrix)
check "the agent runs as portmatrix" grep -qE "^Uid:\s+$uid\s+$uid\s+$uid\s+$uid$" "/proc/$agent_pid/status"
check "its NRPE key is in /var/lib/portmatrix, portmatrix's" in_root sh -c '[ -n "$(find /var/lib/portmatrix -type f -user portmatrix)" ]'
kill -TERM "$agent_pid"
if wait "$agent_pid"; then ok "the agent stops on SIGTERM"; else fail "agent exit status $?: $(cat "$work/layer/agent.log")"; fi
agent_pid=""

# The same package, rebuilt with a higher version: dpkg keeps the edited conffile.
upgrade=$work/layer/upgrade
dpkg-deb -R "$deb" "$upgrade"
sed -i "s/^Version: .*/Version: ${version}+test1/" "$upgrade/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip -b "$upgrade" "$root/srv/debs/portmatrix_${version}+test1.deb" >/dev/null
check "apt-get install of ${version}+test1 (upgrade)" in_root apt-get install -y -q "/srv/debs/portmatrix_${version}+test1.deb"
check "the upgrade is installed" in_root sh -c '[ "$(dpkg-query -W -f="\${Version}" portmatrix)" = "$1" ]' - "${version}+test1"
check "the edited configuration is kept on upgrade" in_root sh -c '[ "$(cat /etc/portmatrix/portmatrix.yaml)" = "$1" ]' - "$edited"
check "still root:portmatrix 0640 after the upgrade" in_root sh -c '[ "$(stat -c %U:%G:%a /etc/portmatrix/portmatrix.yaml)" = root:portmatrix:640 ]'

check "apt-get remove" in_root apt-get remove -y -q portmatrix
check "remove takes the binary, keeps the configuration and the user" \
  in_root sh -c '[ ! -e /usr/bin/portmatrix ] && [ -f /etc/portmatrix/portmatrix.yaml ] && getent passwd portmatrix >/dev/null'
check "apt-get purge" in_root apt-get purge -y -q portmatrix
check "purge removes the user and the group" in_root sh -c '! getent passwd portmatrix && ! getent group portmatrix'
check "purge removes /var/lib/portmatrix and /etc/portmatrix" in_root sh -c '[ ! -e /var/lib/portmatrix ] && [ ! -e /etc/portmatrix ]'
check "dpkg knows nothing of portmatrix" in_root sh -c '! dpkg-query -W portmatrix'
# Everything the install wrote is in the overlay's upper layer: no file named after it is left.
leftovers=$(cd "$work/layer/upper" && find . -name '*portmatrix*' ! -path './srv/debs/*' | head -20)
if [ -z "$leftovers" ]; then ok "nothing named portmatrix is left"; else fail "left behind: $leftovers"; fi

echo "$failures failed"
[ "$failures" -eq 0 ]
