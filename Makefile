# Conveniences; the README's two commands work without make.
.PHONY: build test run deps lint clean install uninstall soak deb fuzz

build:
	swift build

test:
	bash .ci/run

run:
	scripts/run-agent

deps:
	scripts/install-deps test

lint:
	SMIPATH=../shared/mibs/ietf:/usr/share/snmp/mibs smilint -l 6 -s mibs/PORTMATRIX-MIB.txt

install:
	scripts/install

uninstall:
	scripts/install --uninstall

# portmatrix_<version>_amd64.deb here: a release build with the Swift runtime linked in.
deb:
	scripts/build-deb

# libFuzzer + ASan on every decoder (docs/security.md); RUNS=N per fuzzer, default 1000000.
fuzz:
	Fuzz/run.sh

soak:
	swift build -c release --product portmatrix && Benchmarks/Soak/run.sh

clean:
	rm -rf .build
