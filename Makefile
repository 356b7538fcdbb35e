# faultline: the two commands a fresh Debian 12 machine needs are `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
# ccache hits across clones (CI builds a fresh clone in another folder): paths are made
# relative to the checkout and the build directory is left out of the hash.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all deps build asan-build test test-release test-asan demo bench clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

asan-build: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

# Release build: every label (unit, socket, timing, perf). Then ASan+UBSan: unit and socket.
test: build test-release asan-build test-asan

test-release:
	ctest --preset release -j $(JOBS) --timeout 600

test-asan:
	ctest --preset asan -j $(JOBS) -L 'unit|socket' --timeout 600

# The demo needs only the two programs, not the test suite.
demo: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target faultline faultline-demo-target
	@bash scripts/demo.sh

bench: build
	bash bench/driver-vs-wrk.sh

clean:
	rm -rf build
