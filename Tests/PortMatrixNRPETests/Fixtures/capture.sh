#!/bin/sh
# Recreates the golden fixtures: real check_nrpe 4.1.0 -> relay (capture.py) -> real nrpe 4.1.0 -n.
# Needs nagios-nrpe-server, nagios-nrpe-plugin, monitoring-plugins-basic, python3. Loopback only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cat > "$work/nrpe.cfg" <<CFG
server_address=127.0.0.1
server_port=15667
nrpe_user=nagios
nrpe_group=nagios
pid_file=$work/nrpe.pid
allowed_hosts=127.0.0.1
dont_blame_nrpe=0
command_timeout=10
command[check_ok]=/usr/lib/nagios/plugins/check_dummy 0 "all good"
command[check_long]=/usr/bin/printf 'x%.0s' \$(seq 1 2000)
CFG
chmod 755 "$work"; chmod 644 "$work/nrpe.cfg"
/usr/sbin/nrpe -c "$work/nrpe.cfg" -n -d
python3 "$here/capture.py" 15668 15667 "$work/raw" & relay=$!
sleep 1
cn() { /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p 15668 -n "$@" || true; }
cn                      # 1: v4 _NRPE_CHECK
cn -2                   # 2: v2 _NRPE_CHECK
cn -c check_ok          # 3: v4 check_ok
cn -2 -c check_ok       # 4: v2 check_ok
cn -c check_long        # 5: v4, 2000 bytes of output
cn -2 -c check_long     # 6: v2, output cut to 1023 bytes
cn -c nosuch            # 7: v4 unknown command
sleep 1
kill "$relay"; kill "$(cat "$work/nrpe.pid")"
mkdir -p "$here/golden"
i=1
for name in v4_nrpe_check v2_nrpe_check v4_check_ok v2_check_ok v4_check_long v2_check_long v4_unknown; do
  for dir in query response; do cp "$work/raw/$i.$dir.bin" "$here/golden/$name.$dir.bin"; done
  i=$((i + 1))
done
rm -rf "$work"
ls -l "$here/golden"
