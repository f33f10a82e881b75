// engine-probe: a test tool that drives every call of src/engine against a real engine, so
// the integration scenarios can check each one without the docker CLI in the way.
// Usage: engine-probe [--rss] CALL ARGS…   (see usage() below). Exit 0 ok, 1 engine error,
// the exec'd process's exit code for "exec".

#include "base/Env.h"
#include "base/Error.h"
#include "base/Log.h"
#include "engine/Archive.h"
#include "engine/Containers.h"
#include "engine/DockerConfig.h"
#include "engine/EndpointResolver.h"
#include "engine/EngineClient.h"
#include "engine/Transport.h"
#include "engine/EngineError.h"
#include "engine/Exec.h"
#include "engine/HeldExec.h"
#include "engine/ImageRef.h"
#include "engine/Images.h"
#include "engine/RegistryAuth.h"
#include "engine/System.h"
#include "engine/Volumes.h"

#include <Poco/JSON/Parser.h>
#include <Poco/StreamChannel.h>
#include <Poco/StreamCopier.h>

#include <sys/resource.h>

#include <csignal>
#include <iostream>

using namespace hoist;
using namespace hoist::engine;

namespace {

int usage()
{
    std::cerr << "usage: engine-probe [--rss] CALL ARGS...\n"
                 "  endpoint | ping | version | info | network-inspect NAME\n"
                 "  image-inspect REF | image-pull REF [PLATFORM] | image-load < TAR | image-rm REF\n"
                 "  volume-create NAME [LABEL=V] | volume-inspect NAME | volume-ls [LABEL] | volume-rm NAME\n"
                 "  container-create NAME JSON | container-start ID | container-inspect ID\n"
                 "  container-stop ID | container-rm ID | container-logs ID | container-ls [KEY VALUE]\n"
                 "  exec ID CMD... (stdin of the probe goes to the process) | exec-noin ID CMD...\n"
                 "  hold ID CMD... (held, then released: prints ended, or still running after 3s)\n"
                 "  archive-put ID DIR < TAR | archive-get ID PATH > TAR | archive-stat ID PATH\n"
                 "  auth-header REGISTRY\n";
    return 64;
}

void print(const Poco::JSON::Object::Ptr& obj)
{
    if (!obj)
    {
        std::cout << "null\n";
        return;
    }
    obj->stringify(std::cout);
    std::cout << "\n";
}

// The container to create from a JSON body in the engine's own terms: the fields the
// scenarios give (Image, Entrypoint, Cmd, Labels, HostConfig.NetworkMode).
hoist::engine::ContainerCreate containerCreate(const std::string& json)
{
    auto cfg = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    hoist::engine::ContainerCreate c;
    c.image = cfg->optValue<std::string>("Image", "");
    auto strings = [&](const char* key) -> std::optional<std::vector<std::string>>
    {
        auto a = cfg->getArray(key);
        if (!a)
            return std::nullopt;
        std::vector<std::string> out;
        for (std::size_t i = 0; i < a->size(); ++i)
            out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
        return out;
    };
    c.entrypoint = strings("Entrypoint");
    c.cmd = strings("Cmd");
    if (auto labels = cfg->getObject("Labels"))
        for (const auto& k : labels->getNames())
            c.labels[k] = labels->getValue<std::string>(k);
    if (auto host = cfg->getObject("HostConfig"))
        c.host.networkMode = host->optValue<std::string>("NetworkMode", "");
    return c;
}

int call(EngineClient& client, const base::Env& env, const std::vector<std::string>& a)
{
    const std::string& c = a.at(0);
    auto arg = [&](std::size_t i) -> const std::string& {
        if (i >= a.size())
            throw base::UsageException(c + ": missing argument " + std::to_string(i));
        return a[i];
    };
    if (c == "endpoint")
    {
        std::cout << client.endpoint().url() << "\n"
                  << client.endpoint().origin << "\n";
        return 0;
    }
    if (c == "ping")
    {
        PingInfo p = client.ping();
        std::cout << p.apiVersion << " " << p.osType << " " << p.server << "\n"
                  << "negotiated " << client.apiVersion() << "\n";
        return 0;
    }
    if (c == "version")
        return print(System(client).versionRaw()), 0;
    if (c == "info")
        return print(System(client).infoRaw()), 0;
    if (c == "network-inspect")
        return print(System(client).networkInspect(arg(1))), 0;
    if (c == "image-inspect")
        return print(Images(client).inspectRaw(arg(1))), 0;
    if (c == "image-pull")
    {
        DockerConfig cfg = DockerConfig::load(env);
        RegistryAuth auth(cfg, env);
        Credentials cred = auth.lookup(ImageRef::parse(arg(1)).authKey());
        Images(client).pull(arg(1), a.size() > 2 ? a[2] : "",
                            cred.empty() ? "" : RegistryAuth::encodeHeader(cred),
                            [](const JsonMessage& m) { std::cout << m.status << " " << m.id << "\n"; });
        return 0;
    }
    if (c == "image-load")
    {
        auto loaded = Images(client).load(
            [](std::ostream& out) { Poco::StreamCopier::copyStream(std::cin, out, 64 * 1024); },
            nullptr);
        for (const auto& l : loaded)
            std::cout << "loaded " << l << "\n";
        return 0;
    }
    if (c == "image-rm")
        return std::cout << Images(client).remove(arg(1), true) << "\n", 0;
    if (c == "volume-create")
    {
        std::map<std::string, std::string> labels;
        if (a.size() > 2)
            labels[a[2].substr(0, a[2].find('='))] = a[2].substr(a[2].find('=') + 1);
        Volumes(client).create(arg(1), labels);
        return print(Volumes(client).inspectRaw(arg(1))), 0;
    }
    if (c == "volume-inspect")
        return print(Volumes(client).inspectRaw(arg(1))), 0;
    if (c == "volume-ls")
    {
        for (const auto& v : Volumes(client).list(a.size() > 1 ? a[1] : ""))
            std::cout << v->getValue<std::string>("Name") << "\n";
        return 0;
    }
    if (c == "volume-rm")
        return std::cout << Volumes(client).remove(arg(1)) << "\n", 0;
    if (c == "container-create")
    {
        std::cout << Containers(client).create(arg(1), containerCreate(arg(2))) << "\n";
        return 0;
    }
    if (c == "container-start")
        return Containers(client).start(arg(1)), 0;
    if (c == "container-inspect")
        return print(Containers(client).inspectRaw(arg(1))), 0;
    if (c == "container-stop")
        return Containers(client).stop(arg(1), 5), 0;
    if (c == "container-rm")
        return std::cout << Containers(client).remove(arg(1), true, true) << "\n", 0;
    if (c == "container-logs")
        return std::cout << Containers(client).logs(arg(1), 100), 0;
    if (c == "container-ls")
    {
        for (const auto& ct : Containers(client).list(a.size() > 2 ? a[1] : "", a.size() > 2 ? a[2] : ""))
            std::cout << ct->getValue<std::string>("Id").substr(0, 12) << "\n";
        return 0;
    }
    if (c == "exec" || c == "exec-noin")
    {
        ExecSpec spec;
        spec.cmd.assign(a.begin() + 2, a.end());
        if (spec.cmd.empty())
            return usage();
        return Exec(client).run(arg(1), spec, c == "exec" ? &std::cin : nullptr,
                                [](int stream, const char* data, std::size_t size) {
                                    (stream == 2 ? std::cerr : std::cout).write(data, size);
                                });
    }
    if (c == "hold")
    {
        ExecSpec spec;
        spec.cmd.assign(a.begin() + 2, a.end());
        if (spec.cmd.empty())
            return usage();
        HeldExec held(client, arg(1), spec);
        std::cout << (held.releaseAndWait(Poco::Timespan(3, 0)) ? "ended" : "still running")
                  << "\n";
        return 0;
    }
    if (c == "archive-put")
    {
        Archive(client).put(arg(1), arg(2), [](std::ostream& out) {
            Poco::StreamCopier::copyStream(std::cin, out, 64 * 1024);
        });
        return 0;
    }
    if (c == "archive-get")
        return Archive(client).get(arg(1), arg(2), std::cout), 0;
    if (c == "archive-stat")
    {
        auto s = Archive(client).stat(arg(1), arg(2));
        if (!s)
            return std::cout << "none\n", 0;
        std::cout << s->name << " " << s->size << " " << (s->isDir ? "dir" : "file") << "\n";
        return 0;
    }
    if (c == "auth-header")
    {
        DockerConfig cfg = DockerConfig::load(env);
        std::cout << RegistryAuth::encodeHeader(RegistryAuth(cfg, env).lookup(arg(1))) << "\n";
        return 0;
    }
    return usage();
}

} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    bool rss = !args.empty() && args[0] == "--rss";
    if (rss)
        args.erase(args.begin());
    if (args.empty())
        return usage();
    base::Env env = base::Env::fromProcess();
    base::Log::configure(new Poco::StreamChannel(std::cerr), env.getOr("PROBE_LOG", "warning"));
    int rc = 0;
    try
    {
        DockerConfig cfg = DockerConfig::load(env);
        EngineClient client(Transport(EndpointResolver(env, cfg).resolve(), Timeouts()),
                            env.getOr("DOCKER_API_VERSION", ""));
        rc = call(client, env, args);
    }
    catch (const EngineApiException& e)
    {
        std::cerr << "engine-probe: status " << e.status() << ": " << e.displayText() << "\n";
        rc = 1;
    }
    catch (const Poco::Exception& e)
    {
        std::cerr << "engine-probe: " << base::userMessage(e) << "\n";
        rc = base::exitCodeFor(e);
    }
    std::cout.flush();
    if (rss)
    {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        std::cerr << "maxrss_kb " << ru.ru_maxrss << "\n";
    }
    return rc;
}
