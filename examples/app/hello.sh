#!/bin/sh
# Built by hoist's example: says which version and architecture it was built for.
echo "hello from hoist's example @VERSION@, built for @ARCH@, running on $(uname -m)"
