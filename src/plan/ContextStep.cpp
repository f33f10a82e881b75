// The context and the Dockerfile of a build, and the .dockerignore that applies: a local
// directory, or a git or https URL BuildKit fetches itself (buildx's remote contexts).

#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "buildrun/DockerIgnore.h"

#include <Poco/Path.h>

namespace hoist::plan::steps
{

namespace
{

const std::string DEFAULT_CONTEXT = "{{defaultContext}}";

std::string withoutTrailingSlashes(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

// buildx's remote contexts: what BuildKit fetches (git repositories, https tarballs).
bool remote(const std::string& context)
{
    for (const char* scheme : {"https://", "http://", "git://", "ssh://", "git@"})
    {
        if (base::startsWith(context, scheme))
            return true;
    }
    return false;
}

// build-push-action's {{defaultContext}}: the repository's git context on GitHub.
std::string expand(const std::string& value, const ci::CiContext& ci, const std::string& what,
                   base::Problems& problems)
{
    const auto at = value.find(DEFAULT_CONTEXT);
    if (at == std::string::npos)
        return value;
    if (ci.gitContext.empty())
    {
        problems.push_back(
            base::Problem{what,
                          what + " " + base::quoted(value) + ": " + DEFAULT_CONTEXT +
                              " is the repository's git context on GitHub Actions; give a "
                              "directory or a URL here",
                          ""});
        return value;
    }
    return value.substr(0, at) + ci.gitContext + value.substr(at + DEFAULT_CONTEXT.size());
}

// The Dockerfile must be a regular file: a directory, a device or a fifo would fail late or
// never end.
void dockerfileKind(const cli::BuildOptions& o, const std::string& file, FileView::Kind kind,
                    base::Problems& problems)
{
    const std::string named = o.file.given() ? o.file.name() + " " + base::quoted(file)
                                             : "the Dockerfile " + base::quoted(file);
    if (kind == FileView::Kind::Missing)
        problems.push_back(
            base::Problem{"",
                          "no Dockerfile at " + base::quoted(file) +
                              (o.file.given() ? "" : " (give one with " + o.file.flag() + ")"),
                          ""});
    else if (kind == FileView::Kind::Directory)
        problems.push_back(
            base::Problem{named, named + " is a directory: name the Dockerfile in it", ""});
    else if (kind == FileView::Kind::Other)
        problems.push_back(
            base::Problem{named, named + " is not a regular file (a device, fifo or socket)", ""});
}

// A local Dockerfile: it travels apart from the context, as buildx sends it (its directory
// and name), whatever the context's .dockerignore excludes.
void localDockerfile(const cli::BuildOptions& o, const std::string& file, const FileView& files,
                     BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    dockerfileKind(o, file, files.kind(file), problems); // "-" was read to a file (app/StdinFiles)
    const std::string abs = files.absolute(file);
    r.dockerfileDir = withoutTrailingSlashes(Poco::Path(abs).parent().toString());
    r.dockerfileName = Poco::Path(abs).getFileName();
}

// A remote context: BuildKit fetches it and reads the Dockerfile in it, unless -f names one
// on this machine by an absolute path (buildx's rule).
void remoteContext(const cli::BuildOptions& o, const std::string& context, const FileView& files,
                   BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    r.remoteContext = context;
    if (o.file.given() && Poco::Path(o.file.value).isAbsolute())
        localDockerfile(o, o.file.value, files, p, problems);
    else
        r.dockerfileName = o.file.given() ? o.file.value : "Dockerfile";
}

} // namespace

void context(const cli::BuildOptions& o, const ci::CiContext& ci, const FileView& files,
             BuildPlan& p, base::Problems& problems)
{
    buildrun::BuildRequest& r = p.request;
    const std::string context = expand(o.context.value, ci, "the build context", problems);
    if (remote(context))
        return remoteContext(o, context, files, p, problems);
    if (context.find("://") != std::string::npos)
        problems.push_back(
            base::Problem{"",
                          "the build context " + base::quoted(context) +
                              " is not a directory, a git repository or an https URL",
                          ""});
    else if (files.kind(context) != FileView::Kind::Directory)
        problems.push_back(base::Problem{
            "", "the build context " + base::quoted(context) + " is not a directory", ""});
    r.contextDir = withoutTrailingSlashes(buildrun::DockerIgnore::clean(files.absolute(context)));
    const std::string file = o.file.given() ? o.file.value : r.contextDir + "/Dockerfile";
    localDockerfile(o, file, files, p, problems);
    // <Dockerfile>.dockerignore replaces the context's .dockerignore, as BuildKit reads them.
    const std::string abs = r.dockerfileDir + "/" + r.dockerfileName;
    for (const std::string& candidate : {abs + ".dockerignore", r.contextDir + "/.dockerignore"})
    {
        if (files.kind(candidate) == FileView::Kind::Regular)
        {
            p.ignoreFile = candidate;
            break;
        }
    }
}

std::string expandDefaultContext(const std::string& value, const ci::CiContext& ci,
                                 const std::string& what, base::Problems& problems)
{
    return expand(value, ci, what, problems);
}

} // namespace hoist::plan::steps
