#pragma once

#include "state/Snapshot.h"
#include "state/Store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::state
{

/// What a save or a restore moved, and how long it took.
struct Moved
{
    std::uint64_t bytes = 0; /// compressed, as stored
    std::uint64_t raw = 0;   /// the volume's tar
    double seconds = 0;
};

/// Saves a snapshot to store: the volume's tar that writeTar writes, compressed with zstd into
/// chunks of at most chunkSize bytes (each a blob), the attributes a copy loses (attrs, JSON)
/// and info, whose bytes it fills. The blobs go first, the manifest (annotated with
/// info.created and info.run) last. Works in a private temporary directory, removed on every
/// path. Throws base::UnavailableException (the store refuses), or what writeTar throws.
Moved save(Store& store, SnapshotInfo info, const std::string& attrs,
           const std::function<void(std::ostream&)>& writeTar,
           std::uint64_t chunkSize = 256ULL << 20);

/// A snapshot read from a store into a private temporary directory, every blob's digest and
/// size checked; the directory goes with the object.
class Fetched
{
public:
    /// Returns why a snapshot of info does not fit the builder ("" when it does).
    using Fits = std::function<std::string(const SnapshotInfo& info)>;

    /// Reads store's snapshot; nullptr when the store has none. fits, when given, is asked
    /// once the config is read, before the chunks are. Throws base::UnavailableException (the
    /// store cannot be read), Poco::DataFormatException (not a snapshot of this format,
    /// damaged, or one that does not fit) or base::CancelledException.
    static std::unique_ptr<Fetched> fetch(Store& store, const Fits& fits = {});

    ~Fetched();
    Fetched(const Fetched&) = delete;
    Fetched& operator=(const Fetched&) = delete;

    /// Returns the snapshot's info.
    const SnapshotInfo& info() const;

    /// Returns the attributes a copy loses (JSON, see builder::StateAttrs).
    const std::string& attrs() const;

    /// Returns what the fetch moved.
    const Moved& moved() const;

    /// Writes the volume's tar, decompressed. Throws Poco::DataFormatException for damaged
    /// data (its size is not the config's), base::CancelledException, or what out throws.
    void writeTar(std::ostream& out) const;

private:
    Fetched();

    std::string _dir;
    SnapshotInfo _info;
    std::string _attrs;
    Moved _moved;
};

} // namespace hoist::state
