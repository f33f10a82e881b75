#pragma once

#include "builder/Mirror.h"
#include "buildrun/ContextTar.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hoist::buildrun
{

/// What a build sends of its context when the builder keeps a mirror of it: the mirror's paths
/// to remove, and the context's entries to send. An entry is sent when the mirror lacks it or
/// holds it with another type, mode, size, mtime (to the nanosecond) or link target — what
/// BuildKit's own file sync compares — or, for a file whose mtime has no fraction of a second
/// (where stat cannot tell two versions apart), another content digest; a directory always
/// (its mode and times are set after what is in it changed). A path the mirror holds and the
/// context does not, or holds with another type, is removed (the removal of a directory takes
/// what is in it).
struct ContextDiff
{
    std::string removals;   /// '\0'-separated paths, each below none of the others
    std::vector<bool> send; /// per entry of the context
    std::size_t files = 0;  /// files and symlinks sent (directories always go)
    std::uint64_t bytes = 0;
    std::string manifest; /// the mirror's once changed: the context's entries (Mirror::format)

    /// A context file's content digest ("" when it cannot be read: the file is sent).
    using Hasher = std::function<std::string(const ContextTar::Item&)>;

    /// Returns the difference between mirror and context; hashOf is asked only for files whose
    /// mtime has no fraction of a second.
    static ContextDiff of(const std::vector<builder::Mirror::Entry>& mirror,
                          const std::vector<ContextTar::Item>& context, const Hasher& hashOf);
};

} // namespace hoist::buildrun
