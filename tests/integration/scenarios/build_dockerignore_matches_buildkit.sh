#!/usr/bin/env bash
# hoist filters the context before sending it; what ends up in the image must be exactly what
# BuildKit itself keeps when given the whole context (so hoist never excludes more). BuildKit
# filters what it is sent again, so a pattern hoist matches less widely shows only in the unit
# table (DockerIgnoreTest), which holds patternmatcher's kinds of pattern.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder ign
ctr=buildx_buildkit_${BUILDER,,}0
c=$WORK/ctx
mkdir -p "$c"/{a/b/c,build/out,build/tmp,docs,node_modules/x,src/foo,foo}
for f in README.md docs/x.md docs/y.txt a/b/c/d.md a/b/c/e.log build/out/app build/tmp/t \
  node_modules/x/i.js src/foo/bar.go src/main.go foo/z keep.log drop.log '[x].txt' 'file.(x)' 'sp ace.txt' \
  notes.bak a/b/old.bak xbarfoo a/ybarfoo barfoo.txt 'a^x'; do
  echo "$f" >"$c/$f"
done
cat >"$c/.dockerignore" <<'IGN'
# comment
*.md
!README.md
**/*.log
!keep.log
build
!build/out
node_modules/
/foo
[x].txt
file.(x)
**.bak
**barfoo
docs//y.txt
//a//b//c/d.md
*^x
IGN
printf 'FROM scratch\nCOPY . /\n' >"$c/Dockerfile"

run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/hoist" "$c"
expect_eq 0 "$RC" "hoist build: $ERR"

# BuildKit alone: the whole context copied into the builder, buildctl run there directly.
docker exec "$ctr" mkdir -p /tmp/ign-ctx
tar -C "$c" -c . | docker cp - "$ctr:/tmp/ign-ctx"
docker exec "$ctr" buildctl build --frontend dockerfile.v0 --local context=/tmp/ign-ctx \
  --local dockerfile=/tmp/ign-ctx --output type=local,dest=/tmp/ign-out >/dev/null 2>&1
docker cp "$ctr:/tmp/ign-out" "$WORK/buildkit"
docker exec "$ctr" rm -rf /tmp/ign-ctx /tmp/ign-out

want=$(cd "$WORK/buildkit" && find . | sort)
got=$(cd "$WORK/hoist" && find . | sort)
[ "$want" = "$got" ] || fail "hoist's context differs from BuildKit's own filtering: $(diff <(echo "$want") <(echo "$got"))"
expect_contains "$got" "./README.md" "an exception re-includes"
expect_contains "$got" "./build/out/app" "an exception inside an excluded directory"
expect_contains "$got" "./docs/x.md" "*.md is root-anchored: docs/x.md stays"
expect_not_contains "$got" "./a/b/c/e.log" "**/*.log reaches any depth"
expect_not_contains "$got" "./a/ybarfoo" "**barfoo is a suffix: any path ending in barfoo"
expect_not_contains "$got" "./a/b/old.bak" "**.bak is a suffix"
expect_contains "$got" "./barfoo.txt" "a suffix is the path's end"
expect_not_contains "$got" "./docs/y.txt" "an empty path segment is cleaned away"
expect_contains "$got" "./a^x" "'^' is a regexp's anchor in a pattern, not a literal"
note "$(echo "$got" | wc -l) entries, identical to BuildKit's"
