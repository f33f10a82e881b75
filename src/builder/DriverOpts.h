#pragma once

#include "base/Problem.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist::builder
{

/// The docker-container driver's options (--driver-opt), parsed and defaulted as buildx does
///, with checks buildx leaves to the engine done up front so nothing is created
/// from a bad value.
struct DriverOpts
{
    std::string image;        /// default moby/buildkit:buildx-stable-1
    std::string network;      /// HostConfig.NetworkMode; "" = the engine's default
    long long memory = 0;     /// bytes; 0 = not set
    long long memorySwap = 0; /// bytes, -1 = unlimited; 0 = not set
    long long cpuQuota = 0;   /// µs; 0 = not set
    long long cpuPeriod = 0;  /// µs; 0 = not set
    long long cpuShares = 0;  /// 0 = not set
    std::string cpusetCpus;   /// e.g. "0-3"
    std::string cpusetMems;
    std::optional<std::string> cgroupParent; /// used on the cgroupfs driver only
    std::string restartPolicy = "unless-stopped";
    int restartRetries = 0;
    bool defaultLoad = false;
    bool provenanceAddGha = true;
    std::vector<std::pair<std::string, std::string>> env; /// env.KEY=VALUE, in the order given
    std::map<std::string, std::string> raw; /// every key as given, for buildx's store entry

    /// Parses driver-opt values (each a CSV record of k=v fields; a later key wins), given as
    /// option ("--driver-opt", "HOIST_DRIVER_OPT", "the action input driver-opts"). Every
    /// problem is appended to problems, one sentence each naming option, the key, the value
    /// and the accepted form; the result is meaningful only when problems stayed empty.
    static DriverOpts parse(const std::vector<std::string>& values, const std::string& option,
                            base::Problems& problems);

    /// Splits one CSV record (Go encoding/csv: fields quoted with "…", "" inside for a quote).
    static std::vector<std::string> splitCsv(const std::string& record, bool& ok);

    /// Returns field as one field of such a record: quoted, with "" for a quote, when it holds
    /// a comma or a quote; as it is otherwise.
    static std::string csvField(const std::string& field);

    /// Returns value as Go's strconv.ParseBool reads it (1, t, T, TRUE, true, True, and the
    /// same for false); nothing for any other text.
    static std::optional<bool> goBool(const std::string& value);
};

} // namespace hoist::builder
