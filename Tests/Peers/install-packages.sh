#!/bin/sh
# Install the Debian packages the test peers need (as root, non-interactive).
# Postfix asks a debconf question; "No configuration" keeps /etc/postfix
# untouched (peers.sh brings its own main.cf/master.cf). Services are not
# started by this where policy-rc.d denies it; peers.sh never uses them.
set -e
here=$(dirname "$0")
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(grep -v '^#' "$here/packages.txt")
mkdir -p /run/sshd
