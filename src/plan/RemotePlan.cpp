// This file implements the plan of a remote builder: buildx's remote driver's endpoint and
// options, checked and resolved before anything connects.

#include "plan/RemotePlan.h"

#include "base/Strings.h"
#include "builder/DriverDefaults.h"
#include "builder/DriverOpts.h"
#include "engine/ImageRef.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

namespace hoist::plan
{

namespace
{

const char* const KEYS = "cacert, cert, key, servername, default-load, image";

std::string endpointProblem(const std::string& endpoint)
{
    try
    {
        const Poco::URI uri(endpoint);
        if (uri.getScheme() == "tcp" && !uri.getHost().empty() && uri.getPort() != 0 &&
            (uri.getPath().empty() || uri.getPath() == "/"))
            return "";
        if (uri.getScheme() == "unix" && uri.getHost().empty() && uri.getPath().size() > 1)
            return "";
    }
    catch (const Poco::Exception&)
    {
    }
    return "is not a BuildKit address: give tcp://HOST:PORT or unix:///PATH";
}

// One KEY=VALUE field of --driver-opt into spec.
void apply(const std::string& field, const std::string& option, const FileView& files,
           builder::RemoteSpec& spec, base::Problems& problems)
{
    const auto eq = field.find('=');
    const std::string key = field.substr(0, eq),
                      value = eq == std::string::npos ? "" : field.substr(eq + 1);
    auto path = [&](std::string& into)
    {
        if (value.empty())
            problems.push_back(base::Problem{option, option + " " + key + "= needs a file", ""});
        else
            into = files.absolute(value);
    };
    if (key == "cacert")
        path(spec.cacert);
    else if (key == "cert")
        path(spec.cert);
    else if (key == "key")
        path(spec.key);
    else if (key == "servername")
        spec.serverName = value;
    else if (key == "default-load")
    {
        if (!builder::DriverOpts::goBool(value))
            problems.push_back(base::Problem{
                option, option + " default-load=" + value + " must be true or false", ""});
        spec.defaultLoad = value;
    }
    else if (key == "image")
    {
        const std::string problem = engine::ImageRef::problem(value);
        if (!problem.empty())
            problems.push_back(base::Problem{
                option, option + " image=" + base::quoted(value) + " " + problem, ""});
        spec.clientImage = value;
    }
    else
        problems.push_back(base::Problem{
            option, option + " " + base::quoted(key) + " is not an option of the remote driver",
            std::string("its options are ") + KEYS});
}

void checkTls(const builder::RemoteSpec& spec, const std::string& option, base::Problems& problems)
{
    if ((spec.cert.empty() || spec.key.empty()) && !(spec.cert.empty() && spec.key.empty()))
        problems.push_back(base::Problem{option,
                                         option + " cert and key go together: the client "
                                                  "certificate and its key",
                                         "give both, or neither"});
    if (spec.cacert.empty() &&
        (!spec.cert.empty() || !spec.key.empty() || !spec.serverName.empty()))
        problems.push_back(base::Problem{
            option, option + " TLS needs cacert: the CA that signed the daemon's certificate",
            "add cacert=FILE"});
}

// Options that shape a BuildKit container hoist runs, which a remote builder does not have.
void refuseContainerOptions(const cli::SetupOptions& o, base::Problems& problems)
{
    for (const auto* given : {&o.buildkitdFlags, &o.buildkitdConfig, &o.buildkitdConfigInline})
    {
        if (given->given())
            problems.push_back(base::Problem{
                given->name(),
                given->name() + " configures a BuildKit container hoist runs; with " +
                    o.driver.name() + " remote the daemon is configured where it runs",
                "remove " + given->name()});
    }
}

void refuse(const std::string& name, const std::string& why, base::Problems& problems)
{
    problems.push_back(base::Problem{name, name + " " + why, "remove " + name});
}

// What a docker-container builder has and a remote daemon does not: a state volume hoist
// moves, emulators hoist registers, a boot hoist waits for. (keep-state and state-max-size
// have action defaults, and nothing to act on: accepted.)
void refuseLocalOptions(const cli::Options& o, base::Problems& problems)
{
    const std::string state = "acts on a docker-container builder's state volume; a remote "
                              "daemon keeps its own state";
    if (!o.state.from.value.empty())
        refuse(o.state.from.name(), state, problems);
    if (!o.state.to.value.empty())
        refuse(o.state.to.name(), state, problems);
    const std::string qemu = "registers emulators on the local engine; a remote daemon's host "
                             "registers its own";
    if (o.setup.qemu.given())
        refuse(o.setup.qemu.name(), qemu, problems);
    if (o.setup.qemuImage.given())
        refuse(o.setup.qemuImage.name(), qemu, problems);
    if (o.command == "setup" && o.setup.platforms.given())
        refuse(o.setup.platforms.name(), qemu + " (give the build's platforms to hoist build)",
               problems);
    if (o.setup.bootstrapTimeout.given())
        refuse(o.setup.bootstrapTimeout.name(),
               "waits for a BuildKit container hoist starts; a remote daemon runs already",
               problems);
}

} // namespace

void checkRemote(const builder::RemoteSpec& spec, const std::string& option,
                 base::Problems& problems)
{
    if (const std::string problem = endpointProblem(spec.endpoint); !problem.empty())
        problems.push_back(base::Problem{
            option, option + " endpoint " + base::quoted(spec.endpoint) + " " + problem, ""});
    checkTls(spec, option, problems);
}

builder::RemoteTls readRemoteTls(const builder::RemoteSpec& spec, const std::string& option,
                                 const FileView& files, base::Problems& problems)
{
    builder::RemoteTls tls;
    auto read = [&](const std::string& key, const std::string& path, std::string& into)
    {
        if (path.empty())
            return;
        try
        {
            into = files.read(path);
        }
        catch (const Poco::Exception& e)
        {
            problems.push_back(base::Problem{
                option, option + " " + key + "=" + path + ": " + e.displayText(), ""});
        }
    };
    read("cacert", spec.cacert, tls.ca);
    read("cert", spec.cert, tls.cert);
    read("key", spec.key, tls.key);
    return tls;
}

RemotePlan planRemote(const cli::Options& all, const std::string& session, const FileView& files,
                      base::Problems& problems)
{
    const cli::SetupOptions& options = all.setup;
    RemotePlan p;
    p.spec.name = all.common.builder.value;
    p.spec.session = session;
    p.spec.endpoint = options.endpoint.value;
    p.spec.clientImage = builder::DEFAULT_BUILDKIT_IMAGE;
    const std::string& endpoint = options.endpoint.name();
    if (p.spec.endpoint.empty())
        problems.push_back(base::Problem{endpoint,
                                         options.driver.name() + " remote needs " + endpoint +
                                             ": the buildkitd's address",
                                         "give " + endpoint + " tcp://HOST:PORT"});
    else if (const std::string problem = endpointProblem(p.spec.endpoint); !problem.empty())
        problems.push_back(base::Problem{
            endpoint, endpoint + " " + base::quoted(p.spec.endpoint) + " " + problem, ""});
    const std::string& option = options.driverOpts.name();
    for (const auto& record : options.driverOpts.value)
    {
        bool ok = true;
        for (const auto& field : builder::DriverOpts::splitCsv(record, ok))
            apply(field, option, files, p.spec, problems);
        if (!ok)
            problems.push_back(base::Problem{
                option, option + " " + base::quoted(record) + " is not valid CSV", ""});
    }
    checkTls(p.spec, option, problems);
    refuseContainerOptions(options, problems);
    refuseLocalOptions(all, problems);
    p.tls = readRemoteTls(p.spec, option, files, problems);
    return p;
}

} // namespace hoist::plan
