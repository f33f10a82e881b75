// This file implements the difference between a context and its mirror in the builder.

#include "buildrun/ContextDiff.h"

#include <map>
#include <set>

namespace hoist::buildrun
{

namespace
{

// The context's entry as the mirror's manifest holds it once sent: with its content digest where
// its mtime has no fraction of a second (the same size and time may hold other bytes).
builder::Mirror::Entry entryOf(const ContextTar::Item& c, const ContextDiff::Hasher& hashOf)
{
    builder::Mirror::Entry e;
    e.type = c.type;
    e.mode = c.mode;
    e.size = c.type == 'f' ? c.size : 0;
    e.mtime = c.mtime;
    e.mtimeNsec = c.mtimeNsec;
    e.path = c.rel;
    e.link = c.link;
    if (c.type == 'f' && c.mtimeNsec == 0)
        e.hash = hashOf(c);
    return e;
}

bool same(const builder::Mirror::Entry& m, const builder::Mirror::Entry& c)
{
    if (m.type != c.type || m.mode != c.mode || m.mtime != c.mtime || m.mtimeNsec != c.mtimeNsec ||
        (c.type == 'f' && m.size != c.size) || (c.type == 'l' && m.link != c.link))
        return false;
    if (c.type != 'f' || c.mtimeNsec != 0)
        return true;
    return !m.hash.empty() && m.hash == c.hash;
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
    std::vector<builder::Mirror::Entry> after;
    after.reserve(context.size());
    for (std::size_t i = 0; i < context.size(); ++i)
    {
        const ContextTar::Item& c = context[i];
        wanted[c.rel] = c.type;
        after.push_back(entryOf(c, hashOf));
        auto m = held.find(c.rel);
        const bool unchanged = m != held.end() && same(*m->second, after.back());
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
    d.manifest = builder::Mirror::format(after);
    return d;
}

} // namespace hoist::buildrun
