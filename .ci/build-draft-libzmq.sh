#!/usr/bin/env bash
# Builds libzmq from Debian's own source package (zeromq3: 4.3.4 on bookworm) with the draft API (ZMQ_PEER,
# zmq_connect_peer, routing ids), CURVE, ipc, ws and wss, and installs it under PREFIX. Debian's binary libzmq5
# lacks the draft API, and the interop tests need a native PEER.
#
# Usage: build-draft-libzmq.sh PREFIX
#   Needs root (or sudo) for apt-get; about 2 minutes on 2 cores. Does nothing when PREFIX already holds a
#   finished build (the install goes to a staging folder first, so an interrupted build never counts as done).
#   Exit status 0 with PREFIX/lib/libzmq.so.5 in place, non-zero with a message saying what is missing.
set -euo pipefail
PREFIX=${1:?usage: build-draft-libzmq.sh PREFIX}
LIB="$PREFIX/lib/libzmq.so.5"
trap 'echo "draft libzmq: not built, this step failed: $BASH_COMMAND" >&2' ERR
if [ -f "$PREFIX/.complete" ] && [ -f "$LIB" ]; then
  echo "draft libzmq already built: $LIB"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "draft libzmq: needs root or sudo for apt-get" >&2; exit 1; }
  SUDO="sudo"
fi
command -v apt-get >/dev/null 2>&1 || { echo "draft libzmq: needs apt-get (a Debian machine)" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

# The machine's own Debian archive, as source-package entries (deb822 on bookworm and later, one-line before).
srclist=$(mktemp)
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$srclist"
  srcdest=/etc/apt/sources.list.d/zmq-draft-src.sources
elif [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$srclist"
  srcdest=/etc/apt/sources.list.d/zmq-draft-src.list
else
  echo "draft libzmq: no Debian apt sources found to fetch the zeromq3 source package from" >&2
  exit 1
fi
work=$(mktemp -d)
staging="$PREFIX.staging"
cleanup() { $SUDO rm -f "$srcdest"; rm -f "$srclist"; rm -rf "$work"; $SUDO rm -rf "$staging"; }
trap cleanup EXIT
$SUDO cp "$srclist" "$srcdest"

$SUDO apt-get update -qq
# build tools; libsodium: CURVE; gnutls: WSS (ws is built in, wss only with GnuTLS)
$SUDO apt-get install -y -qq build-essential cmake pkg-config libsodium-dev libgnutls28-dev >/dev/null

cd "$work"
apt-get source --download-only -qq zeromq3
tar xzf zeromq3_*.orig.tar.gz
cd libzmq-*/
mkdir build && cd build
cmake .. -DENABLE_DRAFTS=ON -DWITH_LIBSODIUM=ON -DENABLE_CURVE=ON -DBUILD_TESTS=OFF -DWITH_DOCS=OFF \
  -DBUILD_STATIC=OFF -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
make -j"$(nproc)" >/dev/null
$SUDO rm -rf "$staging"
$SUDO make install DESTDIR="$staging" >/dev/null
$SUDO mkdir -p "$(dirname "$PREFIX")"
$SUDO rm -rf "$PREFIX"
$SUDO mv "$staging$PREFIX" "$PREFIX"
$SUDO touch "$PREFIX/.complete"
echo "draft libzmq installed: $LIB"
