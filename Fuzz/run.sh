#!/bin/sh
# libFuzzer + AddressSanitizer on every decoder that reads bytes from the network or a file.
# Usage: Fuzz/run.sh [name...]   (or `make fuzz`); RUNS=N inputs per fuzzer (default 1000000).
# Names: dns ldap sntp pyzor smtp http-head proxy-reply nrpe nrpe-config configuration.
# Pure Swift codecs are compiled directly with swiftc (seconds); the YAML loader needs Yams and
# libyaml, so PortMatrixModel is built by SwiftPM in .build-fuzz with the sanitizers and the
# entry point linked against its objects. Fuzzers run one after another under `nice`, each
# seeded with Fuzz/Corpus/NAME (captures from the real peers); new inputs go to a scratch copy.
# Exit status is non-zero when a fuzzer finds a crash, an ASan report or a broken invariant;
# the reproducer is printed (crash-* in the work directory).
set -eu
runs=${RUNS:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/portmatrix-fuzz.XXXXXX")}
# Absolute: each fuzzer runs from $work/empty.
mkdir -p "$work"; work=$(cd "$work" && pwd)
names=${*:-"dns ldap sntp pyzor smtp http-head proxy-reply nrpe nrpe-config configuration"}
swiftc_fuzz="swiftc -O -sanitize=fuzzer,address -parse-as-library"
codecs="$(ls "$root"/Sources/PortMatrixEngine/Probes/Codecs/*.swift) $root/Sources/PortMatrixEngine/Transport/PeerText.swift"

quiet() { grep -v "Cannot export local symbol" || true; }

build() { # name -> $work/NAME-fuzz
    name=$1
    case $name in
    dns | ldap | sntp | pyzor | smtp | http-head | proxy-reply)
        flag=FUZZ_$(echo "$name" | tr 'a-z-' 'A-Z_')
        # shellcheck disable=SC2086
        $swiftc_fuzz -module-name ProbeCodecFuzz -D "$flag" "$root/Fuzz/Targets/ProbeCodecFuzz.swift" $codecs \
            -o "$work/$name-fuzz" 2>&1 | quiet ;;
    nrpe)
        codec="$root/Sources/PortMatrixNRPE/Codec"
        # shellcheck disable=SC2046
        $swiftc_fuzz -module-name NRPEFuzz -I "$root/Sources/CZlib" "$root/Fuzz/Targets/NRPEFuzz.swift" \
            $(ls "$codec"/*.swift | grep -v NRPEPacketDecoder.swift) -lz -o "$work/$name-fuzz" 2>&1 | quiet ;;
    nrpe-config)
        nrpe="$root/Sources/PortMatrixNRPE"
        $swiftc_fuzz -module-name NRPEConfigFuzz "$root/Fuzz/Targets/NRPEConfigFuzz.swift" \
            "$nrpe/Commands/NRPEConfigFile.swift" "$nrpe/Support/POSIXFile.swift" "$nrpe/Support/StringProtocol+Whitespace.swift" \
            -o "$work/$name-fuzz" 2>&1 | quiet ;;
    configuration)
        scratch="$root/.build-fuzz"
        # The same coverage as -sanitize=fuzzer, spelled out: the build also links the
        # EmbedResources plugin's tool, which must not get libFuzzer's main. Only the entry
        # point below links libFuzzer.
        (cd "$root" && nice swift build -c release --scratch-path "$scratch" --target PortMatrixModel \
            -Xswiftc -enable-testing -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
            -Xcc -fsanitize=address -Xcc -fsanitize-coverage=inline-8bit-counters,pc-table,trace-cmp 2>&1 | grep -E "error|Build" | tail -5)
        out="$scratch/release"
        # shellcheck disable=SC2046
        $swiftc_fuzz -module-name ConfigurationFuzz -I "$out/Modules" -I "$out/CYaml.build/include" \
            -Xcc -fmodule-map-file="$scratch/checkouts/Yams/Sources/CYaml/include/module.modulemap" \
            "$root/Fuzz/Targets/ConfigurationFuzz.swift" \
            $(find "$out/PortMatrixModel.build" "$out/PortMatrixConfiguration.build" "$out/Yams.build" "$out/CYaml.build" -name '*.o') \
            -o "$work/$name-fuzz" 2>&1 | quiet ;;
    *) echo "unknown fuzzer $name" >&2; exit 2 ;;
    esac
    test -x "$work/$name-fuzz"
}

seeds() { # name -> corpus directory to start from
    case $1 in
    nrpe) echo "$root/Tests/PortMatrixNRPETests/Fixtures/golden" ;;
    *) echo "$root/Fuzz/Corpus/$1" ;;
    esac
}

status=0
for name in $names; do
    echo "== $name: building"
    build "$name"
    corpus="$work/corpus-$name"
    mkdir -p "$corpus" "$work/empty"
    cp "$(seeds "$name")"/* "$corpus/"
    case $name in nrpe) max=70000 ;; *) max=4096 ;; esac
    echo "== $name: $runs runs (max_len $max), seeds $(ls "$(seeds "$name")" | wc -l)"
    start=$(date +%s)
    # Swift's crash handler would backtrace a trap through a helper thread that ASan reports
    # as a wild read; libFuzzer's own report (and the reproducer) is what counts.
    if (cd "$work/empty" && SWIFT_BACKTRACE=enable=no nice "$work/$name-fuzz" -runs="$runs" -max_len="$max" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$work/$name-" "$corpus" </dev/null >"$work/$name.log" 2>&1); then
        result=ok
    else
        result=FAILED
        status=1
    fi
    end=$(date +%s)
    grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Test unit written" "$work/$name.log" | tail -6
    echo "== $name: $result in $((end - start)) s; log $work/$name.log"
done
echo "fuzzer binaries, corpora and logs: $work"
exit $status
