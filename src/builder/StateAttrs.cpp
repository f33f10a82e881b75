// This file implements the state directory's attribute listing: a walk with nftw that reads
// each entry's attributes (llistxattr), its JSON form, and the tar that restores them.

#include "builder/StateAttrs.h"

#include "base/Base64.h"
#include "base/TarWriter.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstring>
#include <ftw.h>
#include <sstream>
#include <sys/xattr.h>

namespace hoist::builder
{

namespace
{

// The attribute the engine's archive copy keeps itself.
const char* const CARRIED = "security.capability";

// The walk's state: nftw's callback is a plain function.
struct Walk
{
    std::size_t prefix = 0; /// characters of the parent directory's path, '/' included
    StateAttrs::Listing listing;
};
thread_local Walk* current = nullptr;

std::map<std::string, std::string> attributes(const char* path)
{
    std::map<std::string, std::string> out;
    const ssize_t size = ::llistxattr(path, nullptr, 0);
    if (size <= 0)
        return out;
    std::string names(static_cast<std::size_t>(size), '\0');
    const ssize_t got = ::llistxattr(path, names.data(), names.size());
    for (std::size_t at = 0; got > 0 && at < static_cast<std::size_t>(got);)
    {
        const std::string name(names.c_str() + at);
        at += name.size() + 1;
        const ssize_t len = ::lgetxattr(path, name.c_str(), nullptr, 0);
        if (len < 0 || name == CARRIED)
            continue;
        std::string value(static_cast<std::size_t>(len), '\0');
        if (::lgetxattr(path, name.c_str(), value.data(), value.size()) == len)
            out[name] = value;
    }
    return out;
}

int visit(const char* path, const struct stat* st, int type, struct FTW*)
{
    std::map<std::string, std::string> xattrs = attributes(path);
    if (xattrs.empty())
        return 0;
    if (type != FTW_D)
    {
        ++current->listing.lost;
        return 0;
    }
    StateAttrs::Dir d;
    d.path = std::string(path).substr(current->prefix);
    d.mode = st->st_mode & 07777;
    d.uid = st->st_uid;
    d.gid = st->st_gid;
    d.mtime = st->st_mtime;
    d.xattrs = std::move(xattrs);
    current->listing.dirs.push_back(std::move(d));
    return 0;
}

} // namespace

const char* const StateAttrs::COMMAND = "__xattrs";

std::vector<std::string> StateAttrs::argv(const std::string& helper, const std::string& dir)
{
    return {helper, COMMAND, dir};
}

int StateAttrs::main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    if (args.size() != 1 || args[0].empty() || args[0].front() != '/')
    {
        err << "usage: hoist " << COMMAND << " /DIR\n";
        return 1;
    }
    std::string dir = args[0];
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    Walk walk;
    walk.prefix = dir.rfind('/') + 1;
    current = &walk;
    const int rc = ::nftw(dir.c_str(), visit, 64, FTW_PHYS);
    current = nullptr;
    if (rc != 0)
    {
        err << "hoist xattrs: cannot walk " << dir << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    out << toJson(walk.listing);
    return 0;
}

std::string StateAttrs::toJson(const Listing& listing)
{
    Poco::JSON::Array::Ptr dirs = new Poco::JSON::Array;
    for (const auto& d : listing.dirs)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("path", d.path);
        o->set("mode", d.mode);
        o->set("uid", d.uid);
        o->set("gid", d.gid);
        o->set("mtime", d.mtime);
        Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
        for (const auto& [name, value] : d.xattrs)
            x->set(name, base::toBase64(value));
        o->set("xattrs", x);
        dirs->add(o);
    }
    Poco::JSON::Object root;
    root.set("dirs", dirs);
    root.set("lost", static_cast<Poco::UInt64>(listing.lost));
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

StateAttrs::Listing StateAttrs::fromJson(const std::string& json)
{
    try
    {
        auto root = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
        Listing l;
        l.lost = root->getValue<Poco::UInt64>("lost");
        auto dirs = root->getArray("dirs");
        for (std::size_t i = 0; dirs && i < dirs->size(); ++i)
        {
            auto o = dirs->getObject(i);
            Dir d;
            d.path = o->getValue<std::string>("path");
            d.mode = o->getValue<unsigned>("mode");
            d.uid = o->getValue<unsigned>("uid");
            d.gid = o->getValue<unsigned>("gid");
            d.mtime = o->getValue<Poco::Int64>("mtime");
            auto x = o->getObject("xattrs");
            for (const auto& name : x->getNames())
                d.xattrs[name] = base::fromBase64(x->getValue<std::string>(name));
            if (d.path.empty() || d.path.front() == '/' || d.path.find("..") != std::string::npos)
                throw Poco::DataFormatException("a path outside the state: " + d.path);
            l.dirs.push_back(std::move(d));
        }
        return l;
    }
    catch (const Poco::DataFormatException&)
    {
        throw;
    }
    catch (const Poco::Exception& e)
    {
        throw Poco::DataFormatException("not a listing of attributes: " + e.displayText());
    }
}

void StateAttrs::writeTar(const Listing& listing, std::ostream& out)
{
    base::TarWriter tar(out);
    for (const auto& d : listing.dirs)
    {
        base::TarWriter::Entry e;
        e.name = d.path;
        e.mode = d.mode;
        e.uid = d.uid;
        e.gid = d.gid;
        e.mtime = d.mtime;
        e.xattrs = d.xattrs;
        tar.addDirectory(e);
    }
    tar.finish();
}

} // namespace hoist::builder
