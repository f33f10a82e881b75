#!/usr/bin/env bash
# Only what changed goes (issue 26): a context too large for the builder's memory has a mirror
# on the builder's state volume, and a build sends only what changed since the last build of
# it; RUN sees the context as buildx's build of it does, every time (tests/integration/
# incremental.sh says what is checked).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
MIRROR_AT=volume
source "$(dirname "$0")/../incremental.sh"
