# scripts/function-lengths.awk — prints "file:line: NAME is N lines" for every function body
# longer than MAX lines (default 80), for `make check`. A function body is a "{" alone on its
# line, after a statement at the same indentation that reads as a signature (a name, then
# "(", the last line ending in ")" with const/override/noexcept allowed) and is not a control
# statement or a lambda; it ends at the "}" of that indentation. Run on clang-formatted code.
BEGIN { if (MAX == "") MAX = 80 }
FNR == 1 { inside = 0; prev = ""; delete lastAt }
{
  line = $0
  match(line, /^ */); ind = RLENGTH
  if (!inside && line ~ /^ *\{$/) {
    stmt = lastAt[ind]
    body = stmt; sub(/^ */, "", body)
    if (prev ~ /\)( const)?( override)?( noexcept)?$/ && body ~ /^[A-Za-z_~][^=]*\(/ &&
        body !~ /^(if|for|while|switch|catch|else|do|return)[ (]/) {
      inside = 1; depth = substr(line, 1, ind); start = FNR; name = body
      sub(/\(.*/, "", name); n = split(name, parts, " "); name = parts[n]
    }
  } else if (inside && line == depth "}") {
    n = FNR - start - 1
    if (n > MAX) printf "%s:%d: %s is %d lines (at most %d)\n", FILENAME, start, name, n, MAX
    inside = 0
  }
  if (line !~ /^ *$/) { prev = line; lastAt[ind] = line }
}
