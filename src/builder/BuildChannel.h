#pragma once

#include "builder/MemoryFiles.h"
#include "builder/Mirror.h"
#include "engine/Exec.h"
#include "engine/FrameDemuxer.h"

#include <Poco/Timespan.h>

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::builder
{

/// Something kept alive in the builder for as long as this object lives: a build's hold (see
/// Hold), a socket's relay. Destroying it lets go without waiting.
class Lease
{
public:
    virtual ~Lease() = default;

    /// Lets go and waits up to timeout for the far side to end; returns false when it still
    /// runs (or cannot be told).
    virtual bool releaseAndWait(Poco::Timespan timeout) = 0;
};

/// What a build needs of its builder, and all it reaches of the engine: processes and files in
/// the builder, the engine's image load. builder::Builder is the channel to a real builder;
/// unit tests of buildrun give a fake.
class BuildChannel
{
public:
    virtual ~BuildChannel() = default;

    /// Writes tars for MemoryFiles' unpack, one per directory, on the stream it is given.
    using TarsWriter = std::function<void(std::ostream&)>;

    /// The builder's memory file system (Docker's 64 MiB default): no cost per file, little
    /// room. Whatever a build puts there is named hoist-build-* and removed as the rest; the
    /// mirrors of small contexts stay there, giving way to builds (see Mirror).
    static constexpr const char* SHM_DIR = Mirror::MEMORY_ROOT;

    /// Returns where the state volume is mounted in the builder ("" when it has none).
    virtual std::string stateDir() = 0;

    /// Returns what tells the builder's container, as it runs since it last started, from every
    /// other ("" when it has none): what this machine keeps of the files in the container's
    /// memory (a mirror's manifest), made anew at each start, is keyed by it; and of the files
    /// on a state volume that has no identity of its own (see stateIdentity()).
    virtual std::string identity() = 0;

    /// Returns what tells the builder's state volume from every other, even one of the same
    /// name made later ("" when it has none, or none that hoist made): what this machine keeps
    /// of the files on the volume, which outlives containers, is keyed by it.
    virtual std::string stateIdentity() = 0;

    /// Holds the builder for a build (see Hold) until the lease is released or this process
    /// dies; then the processes whose command line holds one of stop are stopped and remove's
    /// paths removed in the builder. nullptr when the helper cannot run in the builder.
    virtual std::unique_ptr<Lease> hold(const std::vector<std::string>& stop,
                                        const std::vector<std::string>& remove) = 0;

    /// Carries connections to path, a unix socket in the builder, to localSocket on this
    /// machine while the lease lives; nullptr when the helper cannot run in the builder.
    virtual std::unique_ptr<Lease> relay(const std::string& localSocket,
                                         const std::string& path) = 0;

    /// Runs spec in the builder with in as its stdin (none when nullptr), its output to out.
    /// Returns its exit code.
    virtual int exec(const engine::ExecSpec& spec, std::istream* in,
                     const engine::FrameDemuxer::Sink& out) = 0;

    /// Runs spec with files that exist only in memory (MemoryFiles::path(i) is the i-th), after
    /// the helper unpacked into each of unpack one of the tars writeTars writes. Returns
    /// std::nullopt, running nothing, when the helper cannot run in the builder.
    virtual std::optional<int> execWithFiles(const engine::ExecSpec& spec,
                                             const std::vector<std::string>& files,
                                             const engine::FrameDemuxer::Sink& out,
                                             const std::vector<Unpack>& unpack = {},
                                             const TarsWriter& writeTars = {}) = 0;

    /// Extracts the tar written by writeTar into the existing directory dir of the builder.
    virtual void copyIn(const std::string& dir,
                        const std::function<void(std::ostream&)>& writeTar) = 0;

    /// Writes path of the builder, as a tar, to out. Returns false when path does not exist.
    virtual bool copyOut(const std::string& path, std::ostream& out) = 0;

    /// Runs hoist's helper in the builder with args and returns what it printed; nothing when
    /// the helper cannot run there or failed (why says).
    virtual std::optional<std::string> helperOutput(const std::vector<std::string>& args,
                                                    std::string& why) = 0;

    /// Loads the image tar written by writeTar into the builder's engine; returns the names
    /// loaded.
    virtual std::vector<std::string>
    loadImages(const std::function<void(std::ostream&)>& writeTar) = 0;
};

} // namespace hoist::builder
