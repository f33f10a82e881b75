// This file implements the builder commands: validate everything, then drive builder::Builder
// and print what it did.

#include "app/BuilderCommands.h"

#include "app/BuilderPlan.h"
#include "app/CiReport.h"
#include "app/EngineConnection.h"
#include "app/QemuStep.h"
#include "app/SetupStep.h"
#include "base/Duration.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "builder/Builder.h"
#include "cli/OptionParser.h"
#include "engine/Volumes.h"

#include <Poco/Format.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace hoist::app
{

namespace
{

std::string size(long long bytes)
{
    if (bytes < 0)
        return "size unknown";
    if (bytes < 1024 * 1024)
        return Poco::format("%.1f KiB", bytes / 1024.0);
    if (bytes < 1024LL * 1024 * 1024)
        return Poco::format("%.1f MiB", bytes / (1024.0 * 1024));
    return Poco::format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
}

Poco::JSON::Object::Ptr statusJson(const builder::BuilderStatus& s)
{
    Poco::JSON::Object::Ptr ptr = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object& o = *ptr;
    o.set("name", s.name);
    o.set("container", s.container);
    o.set("status", s.status);
    o.set("image", s.image);
    o.set("buildkitVersion", s.buildkitVersion);
    Poco::JSON::Array platforms;
    for (const auto& p : s.platforms)
        platforms.add(p);
    o.set("platforms", platforms);
    o.set("security", s.security);
    o.set("createdBy", s.createdBy);
    o.set("session", s.session);
    if (!s.driverOpts.empty())
        o.set("driverOpts", Poco::JSON::Parser().parse(s.driverOpts));
    o.set("volume", s.volume);
    o.set("volumeExists", s.volumeExists);
    if (s.volumeSize >= 0)
        o.set("volumeSize", s.volumeSize);
    return ptr;
}

std::string statusText(const builder::BuilderStatus& s)
{
    std::ostringstream out;
    out << "name:       " << s.name << "\n"
        << "container:  " << s.container << " (" << s.status << ")\n";
    if (s.status != "inactive")
    {
        out << "image:      " << s.image << "\n"
            << "security:   " << s.security << "\n"
            << "created by: " << s.createdBy << (s.session.empty() ? "" : ", session " + s.session)
            << "\n";
        if (!s.driverOpts.empty() && s.driverOpts != "{}")
            out << "driver-opt: " << s.driverOpts << "\n";
    }
    if (!s.buildkitVersion.empty())
        out << "buildkit:   " << s.buildkitVersion << "\n";
    if (!s.platforms.empty())
        out << "platforms:  " << base::join(s.platforms, ", ") << "\n";
    out << "volume:     " << s.volume
        << (s.volumeExists ? " (" + size(s.volumeSize) + ")" : " (none)") << "\n";
    return out.str();
}

} // namespace

int BuilderCommands::setup(const cli::ParsedCommand& cmd, const base::Env& env,
                           report::Console& console, std::ostream& out,
                           std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec = BuilderPlan::spec(cmd, ci, conn.dockerConfig(), env, problems);
    std::vector<std::string> platforms = QemuStep::platforms(cmd.getList("platform"), problems);
    cli::OptionParser::throwIfAny(problems, cmd.command());

    builder::Builder b(
        conn.client(), spec, [&](const std::string& n) { console.note(n); },
        builder::BuildxStore(BuilderPlan::buildxDir(conn.dockerConfig(), env)));
    Poco::Timestamp started;
    builder::SetupResult r = SetupStep::run(cmd, conn.client(), conn.registryAuth(env, ci),
                                            platforms, b, spec.opts.image, console);
    if (cmd.getBool("use"))
        b.makeCurrent();
    const std::string elapsed = base::formatDuration(Poco::Timespan(started.elapsed()));
    report::RunReport rr;
    rr.command = "setup";
    rr.builder = spec.name;
    rr.builderAction = r.action;
    rr.warmState = r.warmState;
    rr.buildkitVersion = r.status.buildkitVersion;
    rr.platforms = r.status.platforms;
    rr.volume = spec.volumeName();
    rr.endpoint = b.buildxEndpoint();
    rr.buildkitdFlags = base::join(spec.flags, " ");
    rr.current = cmd.getBool("use");
    rr.seconds = started.elapsed() / 1e6;
    CiReport(ci, cmd, out).finish(rr);
    if (cmd.getBool("json"))
    {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("action", r.action);
        o.set("warmState", r.warmState);
        o.set("seconds", started.elapsed() / 1e6);
        o.set("builder", statusJson(r.status));
        std::ostringstream out;
        o.stringify(out, 2);
        console.print(out.str() + "\n");
    }
    else
        console.print(Poco::format("builder %s %s in %s (%s state volume)\n", spec.name, r.action,
                                   elapsed, std::string(r.warmState ? "warm" : "new")) +
                      statusText(r.status));
    return base::EXIT_OK;
}

int BuilderCommands::teardown(const cli::ParsedCommand& cmd, const base::Env& env,
                              report::Console& console, std::vector<std::string> problems)
{
    ci::CiContext ci = ci::CiContext::detect(env);
    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec;
    spec.name = cmd.get("builder");
    spec.session = ci.session;
    cli::OptionParser::throwIfAny(problems, cmd.command());
    builder::Builder b(
        conn.client(), spec, [&](const std::string& n) { console.note(n); },
        builder::BuildxStore(BuilderPlan::buildxDir(conn.dockerConfig(), env)));
    builder::TeardownResult r =
        b.teardown(cmd.getBool("keep-state"), cmd.getBool("force"), cmd.getBool("keep-daemon"));
    std::string text = "builder " + spec.name + ": ";
    if (cmd.getBool("keep-daemon"))
        text += "left running; buildx's store entry removed\n";
    else if (r.inUse > 0)
        text += Poco::format("left running for the %d build(s) of other jobs that hold it "
                             "(--force removes it anyway)\n",
                             r.inUse);
    else
    {
        text += r.removedContainer ? "removed " + spec.containerName() : "no container to remove";
        if (r.keptVolume)
            text += "; kept state volume " + spec.volumeName() + " (" + size(r.volumeSize) + ")";
        else if (r.removedVolume)
            text += "; removed state volume " + spec.volumeName();
        text += "\n";
    }
    console.print(text);
    return base::EXIT_OK;
}

int BuilderCommands::inspect(const cli::ParsedCommand& cmd, const base::Env& env,
                             report::Console& console, std::vector<std::string> problems)
{
    cli::OptionParser::throwIfAny(problems, cmd.command());
    EngineConnection conn(env, cmd);
    builder::BuilderSpec spec;
    spec.name = cmd.get("builder");
    builder::Builder b(conn.client(), spec, [&](const std::string& n) { console.note(n); });
    builder::BuilderStatus s = b.inspect();
    if (s.volumeExists)
    {
        try
        {
            s.volumeSize = engine::Volumes(conn.client()).size(s.volume);
        }
        catch (const Poco::Exception&)
        {
            // The engine allows one disk-usage walk at a time; the size is only information.
        }
    }
    if (cmd.getBool("json"))
    {
        std::ostringstream out;
        statusJson(s)->stringify(out, 2);
        console.print(out.str() + "\n");
    }
    else
        console.print(statusText(s));
    return base::EXIT_OK;
}

} // namespace hoist::app
