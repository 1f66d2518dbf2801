#!/bin/sh
# libFuzzer on the NRPE codec (pure Swift + zlib; every Codec/ file but the NIO decoder), seeded with the golden packets
# captured from the real check_nrpe/nrpe. Usage: Benchmarks/NRPE/fuzz.sh [runs] (default 1000000)
set -eu
runs=${1:-1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
codec="$root/Sources/PortMatrixNRPE/Codec"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name NRPEFuzz \
  -I "$root/Sources/CZlib" \
  "$root/Benchmarks/NRPE/Fuzz/NRPEFuzz.swift" \
  $(ls "$codec"/*.swift | grep -v NRPEPacketDecoder.swift) \
  -lz -o "$out/nrpe-fuzz" 2>&1 | grep -v "Cannot export local symbol" || true
test -x "$out/nrpe-fuzz"
mkdir -p "$out/corpus"
cp "$root"/Tests/PortMatrixNRPETests/Fixtures/golden/*.bin "$out/corpus/"
"$out/nrpe-fuzz" -runs="$runs" -max_len=70000 -print_final_stats=1 "$out/corpus" 2>&1 | tail -25
echo "fuzzer binary and corpus: $out"
