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
        if (value != "true" && value != "false")
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

} // namespace

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

RemotePlan planRemote(const cli::SetupOptions& options, const std::string& name,
                      const std::string& session, const FileView& files, base::Problems& problems)
{
    RemotePlan p;
    p.spec.name = name;
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
    p.tls = readRemoteTls(p.spec, option, files, problems);
    return p;
}

} // namespace hoist::plan
