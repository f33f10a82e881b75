#pragma once

#include <cstdint>
#include <string>

namespace hoist::state
{

/// Where a builder's state snapshot lives, as `--state-from`/`--state-to` name it.
struct Location
{
    enum class Kind
    {
        Registry, /// type=registry,ref=REF: an OCI artifact under a tag
        Local     /// type=local,src=DIR / dest=DIR: an OCI image layout in a directory
    };
    Kind kind = Kind::Registry;
    std::string ref;  /// the registry's reference (host/repository:tag)
    std::string dir;  /// the local directory
    std::string text; /// as the user gave it, for messages
};

/// What a snapshot says of itself: its artifact's config.
struct SnapshotInfo
{
    int format = 1;
    std::string image;       /// the id of the BuildKit image whose daemon wrote the state
    std::string stateDir;    /// where the volume was mounted in the builder
    std::string arch;        /// the engine's architecture
    std::string created;     /// when it was saved (ISO 8601, UTC)
    std::string run;         /// who saved it: the CI run's page, or the machine and user
    std::uint64_t bytes = 0; /// the volume's tar, uncompressed
    /// How long the builds took in the job that started this line of snapshots cold (0 when
    /// not known), carried from snapshot to snapshot: what a restored job saves.
    double coldBuildSeconds = 0;

    /// Returns the info as JSON.
    std::string toJson() const;

    /// Returns the info of toJson's text. Throws Poco::DataFormatException for another text.
    static SnapshotInfo fromJson(const std::string& json);

    /// Returns why a snapshot of this info cannot fill a volume of a builder running image at
    /// stateDir on an engine of arch; "" when it can.
    std::string mismatch(const std::string& image, const std::string& stateDir,
                         const std::string& arch) const;
};

/// The artifact's media types.
struct MediaTypes
{
    static const char* const ARTIFACT; /// the manifest's artifactType
    static const char* const CONFIG;   /// SnapshotInfo
    static const char* const ATTRS;    /// the attributes a copy loses (builder::StateAttrs)
    static const char* const CHUNK;    /// a piece of the volume's zstd-compressed tar
};

} // namespace hoist::state
