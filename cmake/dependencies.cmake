# Every third-party package faultline links, found once. The Debian package names are in
# scripts/deps.sh (run by `make deps`).
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url)
find_package(CLI11 CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(Threads REQUIRED)
