#pragma once

#include "engine/EngineClient.h"
#include "engine/FrameDemuxer.h"
#include "engine/Types.h"

#include <istream>
#include <string>
#include <vector>

namespace hoist::engine
{

/// What to run in a container.
struct ExecSpec
{
    std::vector<std::string> cmd;
    std::vector<std::string> env; /// "K=V"; how secrets reach a process without argv or files
    std::string workingDir;
    std::string user;
    bool privileged = false;
};

/// Runs processes in a running container through exec create/start with the hijacked
/// connection: stdin streamed and half-closed, stdout and stderr
/// demultiplexed as they arrive, the exit code from exec inspect. Constant memory.
class Exec
{
public:
    /// Calls go through client.
    explicit Exec(EngineClient& client);

    /// Runs spec in container. Streams in (nullptr: no stdin) to the process and then closes
    /// its stdin, or stops sending when the process ends before reading it all; hands output
    /// to onOutput as it comes. Returns the process's exit code (126 when it could not start,
    /// as the engine reports). Throws EngineApiException (404 no such container, 409 not
    /// running), base::CancelledException when cancelled.
    int run(const std::string& container, const ExecSpec& spec, std::istream* in,
            const FrameDemuxer::Sink& onOutput);

    /// Runs spec and returns its stdout; stderr goes to err. Throws as run().
    int capture(const std::string& container, const ExecSpec& spec, std::string& out,
                std::string& err);

    /// Creates, without starting, spec in container; attachStdin makes its stdin a pipe from
    /// the client that starts it. Returns the exec's id. Throws EngineApiException.
    std::string create(const std::string& container, const ExecSpec& spec, bool attachStdin);

    /// Returns true while the exec's process runs. Throws EngineApiException.
    bool running(const std::string& id);

    /// GET /exec/{id}/json: the exec's state and process. Throws EngineApiException.
    ExecInfo inspect(const std::string& id);

private:
    void attach(const std::string& id, std::istream* in, const FrameDemuxer::Sink& onOutput);
    int exitCode(const std::string& id);

    EngineClient& _client;
};

} // namespace hoist::engine
