// The context and the Dockerfile of a build, and the .dockerignore that applies.

#include "plan/BuildPlan.h"

#include "base/Strings.h"
#include "buildrun/DockerIgnore.h"

#include <Poco/Path.h>

namespace hoist::plan::steps
{

namespace
{

std::string withoutTrailingSlashes(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

bool remote(const std::string& context)
{
    return context.find("://") != std::string::npos || base::startsWith(context, "git@") ||
           context == "-";
}

// The Dockerfile must be a regular file: a directory, a device or a fifo would fail late or
// never end.
void dockerfileKind(const cli::BuildOptions& o, const std::string& file, FileView::Kind kind,
                    std::vector<std::string>& problems)
{
    const std::string named = o.file.given() ? o.file.name() + " " + base::quoted(file)
                                             : "the Dockerfile " + base::quoted(file);
    if (kind == FileView::Kind::Missing)
        problems.push_back("no Dockerfile at " + base::quoted(file) +
                           (o.file.given() ? "" : " (give one with " + o.file.flag() + ")"));
    else if (kind == FileView::Kind::Directory)
        problems.push_back(named + " is a directory: name the Dockerfile in it");
    else if (kind == FileView::Kind::Other)
        problems.push_back(named + " is not a regular file (a device, fifo or socket)");
}

} // namespace

void context(const cli::BuildOptions& o, const FileView& files, BuildPlan& p,
             std::vector<std::string>& problems)
{
    buildrun::BuildRequest& r = p.request;
    const std::string& context = o.context.value;
    if (remote(context))
        problems.push_back("the build context " + base::quoted(context) +
                           " is not supported yet: give a local directory");
    else if (files.kind(context) != FileView::Kind::Directory)
        problems.push_back("the build context " + base::quoted(context) + " is not a directory");
    r.contextDir = withoutTrailingSlashes(buildrun::DockerIgnore::clean(files.absolute(context)));

    const std::string file = o.file.given() ? o.file.value : r.contextDir + "/Dockerfile";
    if (file == "-")
        problems.push_back(o.file.name() + " - (a Dockerfile on stdin) is not supported yet");
    else
        dockerfileKind(o, file, files.kind(file), problems);
    // The Dockerfile travels apart from the context, as buildx sends it: its directory and
    // name, whatever the context's .dockerignore excludes.
    const std::string abs = files.absolute(file);
    r.dockerfileDir = withoutTrailingSlashes(Poco::Path(abs).parent().toString());
    r.dockerfileName = Poco::Path(abs).getFileName();
    // <Dockerfile>.dockerignore replaces the context's .dockerignore, as BuildKit reads them.
    for (const std::string& candidate : {abs + ".dockerignore", r.contextDir + "/.dockerignore"})
    {
        if (files.kind(candidate) == FileView::Kind::Regular)
        {
            p.ignoreFile = candidate;
            break;
        }
    }
}

} // namespace hoist::plan::steps
