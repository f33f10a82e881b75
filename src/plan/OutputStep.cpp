// The build's outputs: --output values with buildx's types and shorthands, then --push and
// --load.

#include "plan/Attrs.h"
#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "engine/ImageRef.h"

namespace hoist::plan::steps
{

namespace
{

using buildrun::OutputType;

// buildx's output types; registry is an image pushed.
bool outputType(const std::string& name, OutputType& type)
{
    static const std::pair<const char*, OutputType> TYPES[] = {
        {"image", OutputType::Image},   {"registry", OutputType::Image},
        {"docker", OutputType::Docker}, {"oci", OutputType::Oci},
        {"local", OutputType::Local},   {"tar", OutputType::Tar}};
    for (const auto& [n, t] : TYPES)
    {
        if (name == n)
        {
            type = t;
            return true;
        }
    }
    return false;
}

// One --output value; false when it is not one.
bool output(const std::string& value, const std::string& option, const FileView& files,
            buildrun::Output& out, base::Problems& problems)
{
    AttrList a = parseAttrs(value, option, true, problems);
    if (!a.bare.empty()) // buildx's "-o DIR": a local output
    {
        out = {OutputType::Local, {}, files.absolute(a.bare)};
        return true;
    }
    if (a.type.empty())
    {
        problems.push_back(
            base::Problem{option, option + " " + base::quoted(value) + " needs type=…", ""});
        return false;
    }
    if (!outputType(a.type, out.type))
    {
        problems.push_back(
            base::Problem{option,
                          option + " type=" + base::quoted(a.type) +
                              " is not one of image, registry, docker, oci, local, tar",
                          ""});
        return false;
    }
    if (a.type == "registry")
        a.attrs.emplace_back("push", "true");
    if (out.type != OutputType::Image)
    {
        const std::string dest = a.take("dest");
        if (!dest.empty())
            out.hostDest = files.absolute(dest);
        if ((out.type == OutputType::Local || out.type == OutputType::Tar) && dest.empty())
            problems.push_back(
                base::Problem{option, option + " type=" + a.type + " needs dest=PATH", ""});
    }
    out.attrs = a.attrs;
    for (const auto& [key, name] : out.attrs)
    {
        if (key == "name" && out.makesImage())
            checkRef(option + " name=", name, problems);
    }
    return true;
}

// An image pushed by digest is a leg of a merge: its repository is what --digests-dir and the
// reports record with the digest.
void digestsDir(const cli::BuildOptions& o, const FileView& files, BuildPlan& p,
                base::Problems& problems)
{
    for (const auto& out : p.request.outputs)
    {
        if (out.makesImage() && out.attr("push-by-digest") == "true" &&
            out.attr("push") == "true" && p.request.byDigest.empty())
            p.request.byDigest =
                engine::ImageRef::parse(base::split(out.attr("name"), ',')[0]).name;
    }
    if (!o.digestsDir.given())
        return;
    if (p.request.byDigest.empty())
        problems.push_back(base::Problem{o.digestsDir.name(),
                                         o.digestsDir.name() +
                                             " records an image pushed by digest, and this "
                                             "build pushes none: add " +
                                             o.pushByDigest.flag() + " NAME",
                                         ""});
    else if (p.request.platforms.empty())
        problems.push_back(base::Problem{o.digestsDir.name(),
                                         o.digestsDir.name() +
                                             " names each leg's file for its platform: give " +
                                             o.platforms.flag() + " (the leg's platform)",
                                         ""});
    else if (const auto kind = files.kind(o.digestsDir.value);
             kind != FileView::Kind::Missing && kind != FileView::Kind::Directory)
        problems.push_back(base::Problem{
            o.digestsDir.name(),
            o.digestsDir.name() + " " + base::quoted(o.digestsDir.value) + " is not a directory",
            ""});
    else
        p.request.digestsDir = files.absolute(o.digestsDir.value);
}

} // namespace

void outputs(const cli::BuildOptions& o, const FileView& files, bool rewriteTimestamps,
             BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    const std::string names = base::join(r.tags, ",");
    bool cacheOnly = false;
    for (const auto& v : o.outputs.value)
    {
        if (v == "type=cacheonly") // buildx's "nothing but the cache": no exporter at all
        {
            cacheOnly = true;
            continue;
        }
        buildrun::Output out;
        if (!output(v, o.outputs.name(), files, out, problems))
            continue;
        if (out.makesImage() && out.attr("name").empty() && !names.empty())
            out.attrs.emplace_back("name", names);
        r.outputs.push_back(out);
    }
    if (o.pushByDigest.given())
    {
        // buildx's leg of a multi-platform image: pushed by digest, its name canonical.
        const std::string problem = engine::ImageRef::problem(o.pushByDigest.value, false);
        if (!problem.empty())
            problems.push_back(base::Problem{o.pushByDigest.name(),
                                             o.pushByDigest.name() + " " +
                                                 base::quoted(o.pushByDigest.value) + " " + problem,
                                             ""});
        r.outputs.push_back({OutputType::Image,
                             {{"name", o.pushByDigest.value},
                              {"push-by-digest", "true"},
                              {"name-canonical", "true"},
                              {"push", "true"}},
                             ""});
    }
    if (o.push.value)
    {
        if (r.tags.empty())
            problems.push_back(base::Problem{
                o.push.name(),
                o.push.name() + " needs at least one " + o.tags.flag() + " to push to", ""});
        r.outputs.push_back({OutputType::Image, {{"name", names}, {"push", "true"}}, ""});
    }
    if (o.load.value)
    {
        buildrun::Output out{OutputType::Docker, {}, ""};
        if (!names.empty())
            out.attrs.emplace_back("name", names);
        r.outputs.push_back(out);
    }
    for (auto& out : r.outputs)
    {
        if (!out.makesImage())
            continue;
        if (rewriteTimestamps)
            out.attrs.emplace_back("rewrite-timestamp", "true");
        for (const auto& [k, v] : r.annotations)
            out.attrs.emplace_back(k, v);
    }
    digestsDir(o, files, p, problems);
    if (r.outputs.empty() && !cacheOnly && r.call.empty())
        p.warnings.push_back("no output specified: the result stays in the build cache only; " +
                             o.push.flag() + " pushes it, " + o.load.flag() +
                             " loads it into the engine");
}

} // namespace hoist::plan::steps
