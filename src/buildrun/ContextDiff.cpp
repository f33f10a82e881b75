// This file implements the difference between a context and its mirror in the builder.

#include "buildrun/ContextDiff.h"

#include <map>
#include <set>

namespace hoist::buildrun
{

namespace
{

bool same(const builder::Mirror::Entry& m, const ContextTar::Item& c,
          const ContextDiff::Hasher& hashOf)
{
    if (m.type != c.type || m.mode != c.mode || m.mtime != c.mtime || m.mtimeNsec != c.mtimeNsec ||
        (c.type == 'f' && m.size != c.size) || (c.type == 'l' && m.link != c.link))
        return false;
    if (c.type != 'f' || c.mtimeNsec != 0)
        return true;
    // Whole-second times: the same size and time may hold other bytes.
    return !m.hash.empty() && m.hash == hashOf(c);
}

// Returns true when a directory above path is one of removed.
bool inRemoved(const std::string& path, const std::set<std::string>& removed)
{
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    {
        if (removed.count(path.substr(0, slash)))
            return true;
    }
    return false;
}

} // namespace

ContextDiff ContextDiff::of(const std::vector<builder::Mirror::Entry>& mirror,
                            const std::vector<ContextTar::Item>& context, const Hasher& hashOf)
{
    std::map<std::string, const builder::Mirror::Entry*> held;
    for (const auto& m : mirror)
        held[m.path] = &m;
    std::map<std::string, char> wanted;
    ContextDiff d;
    d.send.assign(context.size(), false);
    for (std::size_t i = 0; i < context.size(); ++i)
    {
        const ContextTar::Item& c = context[i];
        wanted[c.rel] = c.type;
        auto m = held.find(c.rel);
        const bool unchanged = m != held.end() && same(*m->second, c, hashOf);
        d.send[i] = c.type == 'd' || !unchanged;
        if (d.send[i] && c.type != 'd')
        {
            ++d.files;
            d.bytes += c.size;
        }
    }
    // A directory that goes takes what is in it.
    std::set<std::string> removedDirs;
    for (const auto& [path, m] : held)
    {
        if (inRemoved(path, removedDirs))
            continue;
        auto w = wanted.find(path);
        if (w != wanted.end() && w->second == m->type)
            continue;
        d.removals += path;
        d.removals += '\0';
        if (m->type == 'd')
            removedDirs.insert(path);
    }
    return d;
}

} // namespace hoist::buildrun
