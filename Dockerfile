# faultline image: `faultline` (ENTRYPOINT) and `faultline-demo-target`, for the Kubernetes
# example (examples/kubernetes, docs/kubernetes.md).
#   docker build -t faultline:0.1.0 .
# Both stages install their packages from the lists in scripts/ (the builder the same
# build list as `make deps-build`), so the image and a developer machine never drift.

FROM debian:bookworm-slim AS build
COPY scripts/packages-build.txt /tmp/packages-build.txt
RUN apt-get update \
 && sed -e 's/#.*//' /tmp/packages-build.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Release preset without the test suite (it needs Node, Chromium and Catch2).
RUN cmake --preset release -DFAULTLINE_TESTS=OFF \
 && cmake --build --preset release --target faultline faultline-demo-target

FROM debian:bookworm-slim
COPY scripts/packages-runtime.txt /tmp/packages-runtime.txt
RUN apt-get update \
 && sed -e 's/#.*//' /tmp/packages-runtime.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages-runtime.txt \
 && groupadd --system --gid 10001 faultline \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin faultline
COPY --from=build /src/build/release/faultline /usr/local/bin/faultline
COPY --from=build /src/build/release/examples/faultline-demo-target /usr/local/bin/faultline-demo-target
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["faultline"]
CMD ["--help"]
