// --ssh: buildx's ssh forwardings, each an agent's socket (SSH_AUTH_SOCK when no path is
// given) or private key files; buildx's automatic default agent for a git context over ssh.

#include "plan/BuildPlan.h"

#include "base/Strings.h"

namespace hoist::plan::steps
{

namespace
{

// One ID[=PATH[,PATH…]] as buildctl's ssh provider takes it: one socket, or keys.
void forwarding(const std::string& v, const std::string& option, const base::Env& env,
                const FileView& files, BuildPlan& p, base::Problems& problems)
{
    SshSource s;
    s.option = option;
    const auto eq = v.find('=');
    s.id = v.substr(0, eq);
    std::vector<std::string> paths =
        eq == std::string::npos ? std::vector<std::string>() : base::split(v.substr(eq + 1), ',');
    if (s.id.empty())
        return problems.push_back(base::Problem{
            "", option + " " + base::quoted(v) + " needs an id: default or ID[=SOCKET|KEY[,KEY…]]",
            ""});
    if (paths.empty())
    {
        s.socket = env.getOr("SSH_AUTH_SOCK", "");
        if (s.socket.empty())
            return problems.push_back(
                base::Problem{option,
                              option + " " + s.id +
                                  " forwards the ssh agent, and SSH_AUTH_SOCK is not set: "
                                  "start one (ssh-agent), or give key files: " +
                                  s.id + "=PATH[,PATH]",
                              ""});
        paths = {s.socket};
        s.socket.clear();
    }
    for (const auto& path : paths)
    {
        const FileView::Kind kind = files.kind(path);
        if (kind == FileView::Kind::Missing || kind == FileView::Kind::Directory)
            problems.push_back(base::Problem{option,
                                             option + " " + s.id + ": " + base::quoted(path) +
                                                 " is neither an agent's socket nor a key file",
                                             ""});
        else if (kind == FileView::Kind::Other && (!s.socket.empty() || !s.keyFiles.empty()))
            problems.push_back(base::Problem{
                "",
                option + " " + s.id + ": one agent socket, or key files, not both (as buildctl)",
                ""});
        else if (kind == FileView::Kind::Other)
            s.socket = files.absolute(path);
        else if (!s.socket.empty())
            problems.push_back(base::Problem{
                "",
                option + " " + s.id + ": one agent socket, or key files, not both (as buildctl)",
                ""});
        else
            s.keyFiles.push_back(files.absolute(path));
    }
    p.ssh.push_back(s);
}

} // namespace

void ssh(const cli::BuildOptions& o, const base::Env& env, const FileView& files, BuildPlan& p,
         base::Problems& problems)
{
    for (const auto& v : o.ssh.value)
        forwarding(v, o.ssh.name(), env, files, p, problems);
    // buildx forwards the default agent to a git context over ssh when none is given.
    const std::string& c = p.request.remoteContext;
    if (o.ssh.value.empty() && !env.getOr("SSH_AUTH_SOCK", "").empty() &&
        (base::startsWith(c, "git@") || base::startsWith(c, "ssh://")))
        forwarding("default", o.ssh.name(), env, files, p, problems);
}

} // namespace hoist::plan::steps
