# scripts/lib/debs.sh — download Debian packages of any architecture or suite without touching
# the system's apt lists, and extract them into a cache. Sourced by scripts/testenv and
# scripts/sysroot.
#
# The caller sets DEBS_CACHE (a directory), DEBIAN_MIRROR, DEBIAN_SUITE (amd64+arm64) and
# BUILDX_SUITE (amd64 only), and defines log and die.
# shellcheck shell=bash

debs_apt_dir() { echo "$DEBS_CACHE/apt"; }

debs_aptopts() {
  local a
  a=$(debs_apt_dir)
  printf '%s\n' -o "Dir::Etc::SourceList=$a/sources.list" -o "Dir::Etc::SourceParts=-" \
    -o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" \
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" \
    -o "APT::Architectures::=amd64" -o "APT::Architectures::=arm64" -qq
}

# debs_update [force]: refresh the private package list, at most once a day unless forced (the
# stamp also survives the $(...) subshells debs_fetch runs in).
debs_update() {
  local a stamp src opts
  a=$(debs_apt_dir)
  stamp=$a/updated.stamp
  src="deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $DEBIAN_SUITE main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $BUILDX_SUITE main"
  if [ "${1:-}" != force ] && [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440 2>/dev/null)" ] \
     && [ "$src" = "$(cat "$a/sources.list" 2>/dev/null)" ]; then
    return 0
  fi
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/debs"
  echo "$src" >"$a/sources.list"
  log "apt: refreshing a private package list ($DEBIAN_SUITE amd64+arm64, $BUILDX_SUITE amd64)"
  mapfile -t opts < <(debs_aptopts)
  apt-get "${opts[@]}" update >/dev/null || die "apt-get update (private lists in $a) failed"
  touch "$stamp"
}

# debs_fetch NAME SPEC: download SPEC (e.g. busybox-static:arm64/bookworm) once; extract it
# into $DEBS_CACHE/pkgs/NAME and print that directory.
debs_fetch() {
  local name=$1 spec=$2 dir=$DEBS_CACHE/pkgs/$1 a opts
  a=$(debs_apt_dir)
  if [ ! -f "$dir/.complete" ]; then
    debs_update
    mapfile -t opts < <(debs_aptopts)
    rm -rf "$dir" "$a/debs/$name" && mkdir -p "$a/debs/$name"
    # A day-old list may name a version the archive has replaced: refresh once and retry.
    (cd "$a/debs/$name" && apt-get "${opts[@]}" download "$spec" >/dev/null 2>&1) \
      || { debs_update force
           (cd "$a/debs/$name" && apt-get "${opts[@]}" download "$spec" >/dev/null) \
             || die "apt-get download $spec failed"; }
    mkdir -p "$dir"
    dpkg-deb -x "$a"/debs/"$name"/*.deb "$dir"
    dpkg-deb -f "$a"/debs/"$name"/*.deb Version >"$dir/.version"
    touch "$dir/.complete"
  fi
  echo "$dir"
}
