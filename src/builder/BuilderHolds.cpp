// This file implements what the helper does for a builder and what keeps it safe to share:
// jobs and their builds hold it (see Hold) and hand it in-memory files (see MemoryFiles),
// teardown and a setup that would recreate it wait for the holders, a fresh daemon's leftovers
// are removed, and the state volume goes even when a killed setup's container appeared
// meanwhile.

#include "builder/Builder.h"

#include "base/BytePipe.h"
#include "base/Cancellation.h"
#include "base/Error.h"
#include "base/Log.h"
#include "base/Strings.h"
#include "builder/Hold.h"
#include "builder/MemoryFiles.h"
#include "builder/Relay.h"
#include "engine/EngineError.h"

#include <Poco/Thread.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <sstream>
#include <thread>

namespace hoist::builder
{

Helper& Builder::helper()
{
    if (!_helper)
        _helper = std::make_unique<Helper>(_engine, _spec.containerName());
    return *_helper;
}

std::unique_ptr<Lease> Builder::hold(const std::vector<std::string>& stop,
                                     const std::vector<std::string>& remove)
{
    const std::string path = helper().path();
    if (path.empty())
        return nullptr;
    engine::ExecSpec spec;
    spec.cmd = Hold::argv(path, _spec.session, stop, remove);
    return _engine.hold(_spec.containerName(), spec);
}

std::optional<int> Builder::execWithFiles(const engine::ExecSpec& spec,
                                          const std::vector<std::string>& files,
                                          const engine::FrameDemuxer::Sink& out,
                                          const std::vector<Unpack>& unpack,
                                          const TarsWriter& writeTars)
{
    const std::string path = helper().path();
    if (path.empty())
        return std::nullopt;
    engine::ExecSpec withFiles = spec;
    withFiles.cmd = MemoryFiles::argv(path, files.size(), spec.cmd, unpack);
    if (!writeTars)
    {
        std::istringstream in(MemoryFiles::frame(files));
        return exec(withFiles, &in, out);
    }
    // The values, then the tars, written by a thread into a pipe the exec reads from.
    base::BytePipe pipe;
    std::exception_ptr failed;
    std::atomic<bool> stopped{false}; // the exec has ended: the writer's failure is its own
    std::thread writer(
        [&]
        {
            try
            {
                const std::string framed = MemoryFiles::frame(files);
                pipe.write(framed.data(), framed.size());
                writeTars(pipe.writer());
            }
            catch (...)
            {
                if (!stopped)
                    failed = std::current_exception();
            }
            pipe.closeWrite();
        });
    auto stopWriter = [&]
    {
        stopped = true;
        pipe.closeRead(); // a writer still writing fails at once
        writer.join();
    };
    int rc;
    try
    {
        rc = exec(withFiles, &pipe.reader(), out);
    }
    catch (...)
    {
        stopWriter();
        throw;
    }
    stopWriter();
    // A writer that failed (a cancellation between two files, a file that cannot be read)
    // cut the stream short, so the helper could not unpack: the writer's reason is the one.
    if (failed && rc == MemoryFiles::UNPACK_FAILED)
        std::rethrow_exception(failed);
    return rc;
}

std::unique_ptr<Lease> Builder::relay(const std::string& localSocket, const std::string& path)
{
    const std::string helperPath = helper().path();
    if (helperPath.empty())
        return nullptr;
    engine::ExecSpec spec;
    spec.cmd = Relay::argv(helperPath, path);
    return _engine.relay(_spec.containerName(), spec, localSocket);
}

std::optional<std::string> Builder::helperOutput(const std::vector<std::string>& args,
                                                 std::string& why)
{
    const std::string path = helper().path();
    if (path.empty())
    {
        why = "hoist's helper cannot run in the builder";
        return std::nullopt;
    }
    engine::ExecSpec spec;
    spec.cmd = {path};
    spec.cmd.insert(spec.cmd.end(), args.begin(), args.end());
    std::string out;
    if (_engine.capture(_spec.containerName(), spec, out, why) != 0)
        return std::nullopt;
    return out;
}

std::vector<std::string> Builder::holders()
{
    auto c = _engine.inspectContainer(_spec.containerName());
    std::vector<std::string> by;
    for (const auto& id : c ? c->execIds : std::vector<std::string>())
    {
        try
        {
            const engine::ExecInfo e = _engine.inspectExec(id);
            if (!e.running || e.arguments.empty() || e.arguments.front() != Hold::COMMAND)
                continue;
            std::string owner = Hold::owner(e.arguments);
            if (owner.empty())
                owner = "another job";
            if (std::find(by.begin(), by.end(), owner) == by.end())
                by.push_back(owner);
        }
        catch (const engine::EngineApiException&)
        {
            // Gone meanwhile.
        }
    }
    return by;
}

std::unique_ptr<EngineLock> Builder::lockForSetup(Poco::Timespan lease, SecurityMode& mode,
                                                  std::string& stateDir)
{
    Poco::Timestamp said(0);
    for (;;)
    {
        auto held = lock(_spec.opts.image, lease, false);
        mode = chooseMode(_spec.opts.image, stateDir);
        auto existing = _engine.inspectContainer(_spec.containerName());
        std::vector<std::string> by;
        if (!existing || !existing->running || !configDiffers(*existing, mode) ||
            (by = holders()).empty())
            return held;
        // Recreating it would stop their builds: wait for them without the lock, which their
        // teardowns need.
        held.reset();
        if (said.isElapsed(60 * Poco::Timestamp::resolution()))
        {
            _note("waiting for the builds of " + base::join(by, ", ") + " on builder " +
                  _spec.name + " to end: it runs another configuration than this job's, and " +
                  "recreating it now would stop them");
            said.update();
        }
        for (int i = 0; i < 10; ++i)
        {
            base::Cancellation::check();
            Poco::Thread::sleep(100);
        }
    }
}

void Builder::cleanLeftovers()
{
    const std::string state = stateDir();
    std::vector<std::string> leftovers = {"/tmp/hoist-build-*",
                                          std::string(SHM_DIR) + "/hoist-build-*"};
    if (!state.empty())
        leftovers.push_back(state + "/hoist-build-*");
    engine::ExecSpec clean;
    const std::string path = helper().path();
    // Without the helper, the image's shell if it has one.
    clean.cmd = path.empty()
                    ? std::vector<std::string>{"sh", "-c", "rm -rf " + base::join(leftovers, " ")}
                    : Hold::argv(path, _spec.session, {}, leftovers);
    std::string out, err;
    if (_engine.capture(_spec.containerName(), clean, out, err) != 0)
        base::Log::get("builder").warning("cleaning leftovers in %s: %s", _spec.containerName(),
                                          err);
}

bool Builder::removeVolume()
{
    try
    {
        return _engine.removeVolume(_spec.volumeName(), false);
    }
    catch (const engine::EngineApiException& e)
    {
        if (e.status() != 409)
            throw;
    }
    // In use: by a builder container that appeared after ours was removed (a killed setup's
    // create the engine finished on its own), which goes too; by anything else, kept.
    if (_engine.inspectContainer(_spec.containerName()))
        _engine.removeContainer(_spec.containerName());
    try
    {
        return _engine.removeVolume(_spec.volumeName(), false);
    }
    catch (const engine::EngineApiException& e)
    {
        throw base::UnavailableException("the state volume " + _spec.volumeName() +
                                         " is in use by another container: " + e.engineMessage() +
                                         "\nhint: remove that container, then the volume");
    }
}

} // namespace hoist::builder
