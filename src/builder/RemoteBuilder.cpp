// This file implements the channel to a remote BuildKit daemon: the client container (hoist's
// helper as its only process, no network, removed when it stops), the relay of buildctl's
// connections to the endpoint, and buildctl's --addr and TLS flags on every command.

#include "builder/RemoteBuilder.h"

#include "base/Error.h"
#include "base/Log.h"
#include "base/Processes.h"
#include "base/Strings.h"
#include "builder/Helper.h"
#include "builder/Labels.h"
#include "builder/MemoryFiles.h"

#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace hoist::builder
{

namespace
{

// Where buildctl finds the daemon in the client container: the helper's relay.
const char* const SOCKET = "/tmp/hoist-buildkitd.sock";

volatile std::sig_atomic_t idleEnds = 0;

void endIdle(int)
{
    idleEnds = 1;
}

BuilderSpec clientSpec(const RemoteSpec& remote)
{
    BuilderSpec spec;
    spec.name = remote.name;
    spec.session = remote.session;
    spec.opts.image = remote.clientImage;
    spec.container = "hoist_client_" + base::randomHex(12);
    return spec;
}

} // namespace

const char* const RemoteBuilder::IDLE_COMMAND = "__idle";

int RemoteBuilder::idleMain()
{
    struct sigaction sa = {};
    sa.sa_handler = endIdle;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    // Normally the hold of the hoist that made it stops it. Alone for half a minute after
    // the first (that hoist died before its hold began): nobody will, so it ends itself.
    int alone = 0;
    for (int tick = 0; !idleEnds && alone < 6; ++tick)
    {
        ::sleep(5);
        while (::waitpid(-1, nullptr, WNOHANG) > 0)
        {
            // As PID 1 it reaps what ended under it.
        }
        alone = tick >= 6 && base::processesMatching("").empty() ? alone + 1 : 0;
    }
    return 0;
}

RemoteBuilder::RemoteBuilder(engine::EngineClient& client, RemoteSpec spec, RemoteTls tls,
                             Builder::Note note)
    : _spec(std::move(spec)),
      _tls(std::move(tls)),
      _own(std::make_unique<ClientEngine>(client)),
      _engine(*_own),
      _client(_engine, clientSpec(_spec), std::move(note)),
      _marker(_client.spec().container)
{
}

RemoteBuilder::RemoteBuilder(BuilderEngine& engine, RemoteSpec spec, RemoteTls tls,
                             Builder::Note note)
    : _spec(std::move(spec)),
      _tls(std::move(tls)),
      _engine(engine),
      _client(_engine, clientSpec(_spec), std::move(note)),
      _marker(_client.spec().container)
{
}

RemoteBuilder::~RemoteBuilder()
{
    removeClient();
}

void RemoteBuilder::setHints(Hints hints)
{
    _client.setHints(std::move(hints));
}

const RemoteSpec& RemoteBuilder::spec() const
{
    return _spec;
}

void RemoteBuilder::createClient()
{
    // Clients a killed hoist left made but never started (those started end themselves).
    for (const auto& stale : _engine.staleContainers(LABEL_ROLE, "remote-client", 600))
    {
        try
        {
            _engine.removeContainer(stale);
        }
        catch (const Poco::Exception&)
        {
            // Another hoist removes it at the same time.
        }
    }
    const std::string helper = Helper::pathInContainer();
    if (helper.empty())
        throw base::UnavailableException("hoist cannot read its own binary (/proc/self/exe) to "
                                         "run it in the remote driver's client container");
    if (_engine.version().arch != Helper::ownArch())
        throw base::UsageException(
            "the remote driver runs buildctl in a container on the local engine with hoist's "
            "helper, and this engine's CPU is " +
            _engine.version().arch + ", this hoist's " + Helper::ownArch() +
            "\nhint: run the hoist built for " + _engine.version().arch);
    engine::ContainerCreate c;
    c.image = _spec.clientImage;
    c.entrypoint = std::vector<std::string>{helper, IDLE_COMMAND, _marker};
    c.cmd = std::vector<std::string>{};
    c.labels = {
        {LABEL_ROLE, "remote-client"}, {LABEL_BUILDER, _spec.name}, {LABEL_SESSION, _spec.session}};
    c.host.networkMode = "none"; // the daemon is reached through hoist, nothing else at all
    c.host.autoRemove = true;
    _engine.createContainer(_marker, c);
    _created = true;
    if (Helper(_engine, _marker).path().empty())
        throw base::UnavailableException("cannot put hoist's helper into the remote driver's "
                                         "client container " +
                                         _marker);
    _engine.startContainer(_marker);
    // Whatever ends this process, the helper's hold ends the client's only process, and the
    // engine removes the container.
    _alive = _client.hold({_marker}, {});
}

void RemoteBuilder::waitForSocket()
{
    Poco::Timestamp started;
    while (!_engine.statPath(_marker, SOCKET))
    {
        if (started.isElapsed(10 * 1000 * 1000))
            throw base::UnavailableException("the remote driver's relay did not start in " +
                                             _marker);
        Poco::Thread::sleep(20);
    }
}

std::string RemoteBuilder::ask(const std::vector<std::string>& args)
{
    engine::ExecSpec spec;
    spec.cmd = {"buildctl"};
    spec.cmd.insert(spec.cmd.end(), args.begin(), args.end());
    std::string out, err;
    const int rc = exec(spec, nullptr,
                        [&](int stream, const char* data, std::size_t size)
                        { (stream == 2 ? err : out).append(data, size); });
    if (rc != 0)
        throw base::UnavailableException(
            "the remote BuildKit daemon at " + _spec.endpoint +
            " does not answer: " + base::join(base::splitTrimmed(err, '\n'), "; ") +
            "\nhint: check the endpoint, that the daemon listens there, and its certificates "
            "(cacert signs the daemon's, cert and key are the client's it trusts)");
    return out;
}

BuilderStatus RemoteBuilder::connect(PullPolicy pull, const std::string& registryAuth)
{
    _client.ensureImage(pull, registryAuth);
    createClient();
    _relay = _client.relay(_spec.endpoint.rfind("unix://", 0) == 0 ? _spec.endpoint.substr(7)
                                                                   : _spec.endpoint,
                           SOCKET);
    waitForSocket();
    BuilderStatus status;
    status.name = _spec.name;
    status.state = BuilderState::Running;
    status.image = _spec.clientImage;
    status.platforms = parseWorkerPlatforms(ask({"debug", "workers"}));
    for (const auto& line : base::split(ask({"debug", "info"}), '\n'))
    {
        // "BuildKit: github.com/moby/buildkit v0.32.2 <revision>"
        const auto words = base::splitTrimmed(line, ' ');
        if (words.size() >= 3 && words[0] == "BuildKit:")
            status.buildkitVersion = words[2];
    }
    return status;
}

void RemoteBuilder::removeClient()
{
    if (!_created)
        return;
    _created = false;
    try
    {
        _engine.removeContainer(_marker); // ends the relay's and the hold's processes too
    }
    catch (const Poco::Exception& e)
    {
        // Gone meanwhile (it removes itself when it stops) is fine; the log says the rest.
        base::Log::get("builder").information("removing %s: %s", _marker, e.displayText());
    }
    _relay.reset();
    _alive.reset();
}

engine::ExecSpec RemoteBuilder::toDaemon(engine::ExecSpec spec, std::size_t files) const
{
    if (spec.cmd.empty() || spec.cmd.front() != "buildctl")
        return spec;
    std::vector<std::string> flags = {"--addr", std::string("unix://") + SOCKET};
    if (_spec.tls())
    {
        flags.insert(flags.end(), {"--tlsservername", _spec.tlsServerName(), "--tlscacert",
                                   MemoryFiles::path(files)});
        if (!_tls.cert.empty())
            flags.insert(flags.end(), {"--tlscert", MemoryFiles::path(files + 1), "--tlskey",
                                       MemoryFiles::path(files + 2)});
    }
    spec.cmd.insert(spec.cmd.begin() + 1, flags.begin(), flags.end());
    return spec;
}

std::vector<std::string> RemoteBuilder::withTls(std::vector<std::string> files) const
{
    if (_spec.tls())
        files.push_back(_tls.ca);
    if (_spec.tls() && !_tls.cert.empty())
        files.insert(files.end(), {_tls.cert, _tls.key});
    return files;
}

std::string RemoteBuilder::stateDir()
{
    return "";
}

std::string RemoteBuilder::identity()
{
    return "";
}

std::string RemoteBuilder::stateIdentity()
{
    return "";
}

std::unique_ptr<Lease> RemoteBuilder::hold(const std::vector<std::string>& stop,
                                           const std::vector<std::string>& remove)
{
    return _client.hold(stop, remove);
}

std::unique_ptr<Lease> RemoteBuilder::relay(const std::string& localSocket, const std::string& path)
{
    return _client.relay(localSocket, path);
}

int RemoteBuilder::exec(const engine::ExecSpec& spec, std::istream* in,
                        const engine::FrameDemuxer::Sink& out)
{
    if (!_spec.tls() || spec.cmd.empty() || spec.cmd.front() != "buildctl")
        return _client.exec(toDaemon(spec, 0), in, out);
    if (in)
        throw Poco::InvalidArgumentException("buildctl's stdin carries its certificates");
    if (auto rc = _client.execWithFiles(toDaemon(spec, 0), withTls({}), out))
        return *rc;
    throw base::UnavailableException("hoist's helper went away from " + _marker);
}

std::optional<int> RemoteBuilder::execWithFiles(const engine::ExecSpec& spec,
                                                const std::vector<std::string>& files,
                                                const engine::FrameDemuxer::Sink& out,
                                                const std::vector<Unpack>& unpack,
                                                const TarsWriter& writeTars)
{
    if (spec.cmd.empty() || spec.cmd.front() != "buildctl")
        return _client.execWithFiles(spec, files, out, unpack, writeTars);
    return _client.execWithFiles(toDaemon(spec, files.size()), withTls(files), out, unpack,
                                 writeTars);
}

void RemoteBuilder::copyIn(const std::string& dir,
                           const std::function<void(std::ostream&)>& writeTar)
{
    _client.copyIn(dir, writeTar);
}

bool RemoteBuilder::copyOut(const std::string& path, std::ostream& out)
{
    return _client.copyOut(path, out);
}

std::optional<std::string> RemoteBuilder::helperOutput(const std::vector<std::string>& args,
                                                       std::string& why)
{
    return _client.helperOutput(args, why);
}

std::vector<std::string>
RemoteBuilder::loadImages(const std::function<void(std::ostream&)>& writeTar)
{
    return _client.loadImages(writeTar);
}

} // namespace hoist::builder
