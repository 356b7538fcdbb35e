# faultline: the two commands a fresh Debian 12 machine needs are `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
# ccache hits across clones (CI builds a fresh clone in another folder): paths are made
# relative to the checkout and the build directory is left out of the hash.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all deps deps-build build asan-build tsan-build test test-release test-asan test-tsan test-fuzz fuzz demo bench clean

all: build

# Both package lists (scripts/packages-build.txt + packages-test.txt); deps-build: the build
# list alone (what the Dockerfile's builder installs).
deps:
	@bash scripts/deps.sh

deps-build:
	@bash scripts/deps.sh build

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

asan-build: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

# Release build: every label (unit, socket, timing, perf). Then ASan+UBSan: unit and socket.
# Then ThreadSanitizer over the multi-threaded parts. Then each libFuzzer target for 20 s
# from its seed corpus (tests/fuzz).
test: build test-release asan-build test-asan test-tsan test-fuzz

test-release:
	ctest --preset release -j $(JOBS) --timeout 600

test-asan:
	ctest --preset asan -j $(JOBS) -L 'unit|socket' --timeout 600

# ThreadSanitizer: the parts where threads share state. The driver (workers and the control
# thread; --threads 2 runs through the CLI tests below), the fault proxy, and the chaos
# runtime (engine, timeline and caller threads). Timing-labelled tests stay in the release
# pass: TSan slows everything several times.
TSAN_TARGETS := faultline faultline-demo-target faultline_driver_tests faultline_faults_tests faultline_chaos_tests faultline_cli_tests
TSAN_CLI_TESTS := several threads|closed model with --requests|SIGINT stops the run|abort safety stop|shard
tsan-build: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TARGETS)

test-tsan: tsan-build
	ctest --test-dir build/tsan/tests/driver -j $(JOBS) -L 'unit|socket' --timeout 600 --output-on-failure
	ctest --test-dir build/tsan/tests/faults -j $(JOBS) -L 'unit|socket' --timeout 600 --output-on-failure
	ctest --test-dir build/tsan/tests/chaos -j $(JOBS) -L 'unit|socket' --timeout 600 --output-on-failure
	ctest --test-dir build/tsan/tests/cli -j $(JOBS) -R '$(TSAN_CLI_TESTS)' --timeout 600 --output-on-failure

# clang++ + libFuzzer + ASan/UBSan; build/fuzz, see docs/development.md "Fuzzing".
FUZZ_SECONDS ?= 300
test-fuzz: deps
	FUZZ_SECONDS=20 JOBS=$(JOBS) bash scripts/fuzz.sh

fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh

# The demo needs only the two programs, not the test suite.
demo: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target faultline faultline-demo-target
	@bash scripts/demo.sh

bench: build
	bash bench/driver-vs-wrk.sh

clean:
	rm -rf build
