// This file implements reading binfmt_misc's registrations: from its mount point, or from a
// listing of it, each entry's enabled state, interpreter and flags.

#include "qemu/BinfmtRegistry.h"

#include "base/Files.h"
#include "base/Strings.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/String.h>

#include <algorithm>

namespace hoist::qemu
{

bool BinfmtEntry::fixBinary() const
{
    return flags.find('F') != std::string::npos;
}

BinfmtEntry BinfmtRegistry::parseEntry(const std::string& name, const std::string& text)
{
    BinfmtEntry e;
    e.name = name;
    for (const auto& raw : base::split(text, '\n'))
    {
        std::string line = Poco::trim(raw);
        if (line == "enabled")
            e.enabled = true;
        else if (base::startsWith(line, "interpreter "))
            e.interpreter = line.substr(12);
        else if (base::startsWith(line, "flags:"))
            e.flags = Poco::trim(line.substr(6));
    }
    return e;
}

BinfmtRegistry BinfmtRegistry::read(const std::string& dir)
{
    BinfmtRegistry r;
    if (!Poco::File(dir + "/status").exists())
        return r;
    r._mounted = true;
    r._enabled = Poco::trim(base::readFileIfExists(dir + "/status").value_or("")) == "enabled";
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        const std::string name = it.name();
        if (name == "status" || name == "register")
            continue;
        r._entries.push_back(
            parseEntry(name, base::readFileIfExists(it.path().toString()).value_or("")));
    }
    std::sort(r._entries.begin(), r._entries.end(),
              [](const BinfmtEntry& a, const BinfmtEntry& b) { return a.name < b.name; });
    return r;
}

BinfmtRegistry BinfmtRegistry::parseListing(const std::string& listing)
{
    BinfmtRegistry r;
    std::string name, text;
    auto flush = [&]
    {
        if (name == "status")
        {
            r._mounted = true;
            r._enabled = Poco::trim(text) == "enabled";
        }
        else if (!name.empty() && name != "register")
            r._entries.push_back(parseEntry(name, text));
        text.clear();
    };
    for (const auto& line : base::split(listing, '\n'))
    {
        if (base::startsWith(line, "== "))
        {
            flush();
            name = line.substr(3);
        }
        else
            text += line + "\n";
    }
    flush();
    if (!r._mounted)
        r._entries.clear();
    std::sort(r._entries.begin(), r._entries.end(),
              [](const BinfmtEntry& a, const BinfmtEntry& b) { return a.name < b.name; });
    return r;
}

bool BinfmtRegistry::mounted() const
{
    return _mounted;
}

bool BinfmtRegistry::enabled() const
{
    return _enabled;
}

const std::vector<BinfmtEntry>& BinfmtRegistry::entries() const
{
    return _entries;
}

std::vector<BinfmtEntry> BinfmtRegistry::emulators() const
{
    std::vector<BinfmtEntry> out;
    for (const auto& e : _entries)
    {
        if (e.enabled && base::startsWith(e.name, "qemu-"))
            out.push_back(e);
    }
    return out;
}

} // namespace hoist::qemu
