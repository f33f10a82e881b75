#!/usr/bin/env bash
# Where hoist and buildx could differ on the same builder, buildx is right: each context below
# is built by hoist and by the buildx peer (COPY . / to a local output), and the two results
# must be the same tree — entries, file contents and symlink targets:
# - a .dockerignore that excludes the Dockerfile (buildx sends the Dockerfile apart);
# - "*" then "!a": everything but a excluded, the Dockerfile with it;
# - relative symlinks that leave the context by one to six levels (the engine refuses to
#   extract such links below the directory it extracts into);
# - patterns Go's filepath.Clean rewrites: repeated slashes, "." and ".." segments, trailing
#   slashes.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
setup_builder edge
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }

# tree DIR: every entry with its type, and the content or link target.
tree() {
  (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do
    if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"
    elif [ -f "$p" ]; then echo "$p = $(md5sum <"$p" | cut -c1-12)"
    else echo "$p/"; fi
  done)
}

# both NAME: builds $WORK/NAME with hoist and with buildx; the trees must match.
both() {
  local name=$1 c=$WORK/$1
  run_hoist build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/$name.hoist" "$c"
  expect_eq 0 "$RC" "$name: hoist build: $ERR"
  bx build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/$name.buildx" "$c" \
    >"$WORK/$name.buildx.log" 2>&1 || fail "$name: buildx build: $(tail -5 "$WORK/$name.buildx.log")"
  local want got
  want=$(tree "$WORK/$name.buildx")
  got=$(tree "$WORK/$name.hoist")
  [ "$want" = "$got" ] || fail "$name: hoist's result differs from buildx's: $(diff <(echo "$want") <(echo "$got"))"
  note "$name: $(echo "$got" | wc -l) entries, as buildx"
  TREE=$got
}

mk() { mkdir -p "$WORK/$1"; printf 'FROM scratch\nCOPY . /\n' >"$WORK/$1/Dockerfile"; }

mk ignores-dockerfile
echo a >"$WORK/ignores-dockerfile/a"
printf 'Dockerfile\n.dockerignore\n' >"$WORK/ignores-dockerfile/.dockerignore"
both ignores-dockerfile
expect_eq "./a = $(echo a | md5sum | cut -c1-12)" "$TREE" "only a is copied"

mk all-but-a
mkdir -p "$WORK/all-but-a/a" "$WORK/all-but-a/b"
echo 1 >"$WORK/all-but-a/a/one"; echo 2 >"$WORK/all-but-a/b/two"; echo 3 >"$WORK/all-but-a/three"
printf '*\n!a\n' >"$WORK/all-but-a/.dockerignore"
both all-but-a
expect_contains "$TREE" "./a/one" "the exception is copied"
expect_not_contains "$TREE" "three" "the rest is excluded"

mk links
mkdir -p "$WORK/links/d1/d2/d3"
ln -s ../outside "$WORK/links/up1"
ln -s ../../../../etc/passwd "$WORK/links/d1/up4"
ln -s ../../../../../../../tmp "$WORK/links/d1/d2/d3/up7"
ln -s /etc/hostname "$WORK/links/absolute"
ln -s d1/d2 "$WORK/links/inside"
both links
expect_contains "$TREE" "./d1/d2/d3/up7 -> ../../../../../../../tmp" "a link leaving by seven levels"

mk cleaned
mkdir -p "$WORK/cleaned/docs" "$WORK/cleaned/src/foo" "$WORK/cleaned/a/b/c" "$WORK/cleaned/keep"
mkdir -p "$WORK/cleaned/logs/deep" "$WORK/cleaned/lib/x/y" "$WORK/cleaned/gen"
for f in docs/x.md docs/y.txt src/foo/bar.go src/main.go a/b/c/d.md a/b/c/e.txt keep/k top.txt \
  top2.txt logs/deep/a.log logs/b.log lib/x/y/z.go gen/one gen/two; do
  echo "$f" >"$WORK/cleaned/$f"
done
cat >"$WORK/cleaned/.dockerignore" <<'IGN'
docs//y.txt
./src/./foo
a/b/../b/c/d.md
keep/
!keep//k
/top.txt/
//top2.txt
**//*.log
lib//**//z.go
gen//
!gen///two
IGN
both cleaned
expect_not_contains "$TREE" "./docs/y.txt" "docs//y.txt matches docs/y.txt"
expect_not_contains "$TREE" "./src/foo" "./src/./foo matches src/foo"
expect_contains "$TREE" "./keep/k" "!keep//k re-includes keep/k"
