#!/bin/sh
# Installs the Debian packages the test peers need: the test set of scripts/install-deps,
# which reads packages.txt and preseeds postfix.
exec "$(dirname "$0")/../../scripts/install-deps" test
