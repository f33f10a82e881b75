#pragma once

#include "builder/BuilderStatus.h"
#include "doctor/Doctor.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace hoist::report
{

/// How a builder's status and doctor's findings read: the text `hoist inspect`, `setup` and
/// `doctor` print, and their --json forms.
class BuilderView
{
public:
    /// Returns the status as aligned "name: value" lines.
    static std::string text(const builder::BuilderStatus& status);

    /// Returns the status as a JSON object.
    static Poco::JSON::Object::Ptr json(const builder::BuilderStatus& status);

    /// Returns what setup says it did: "builder NAME created in 1.2s (new state volume)" and
    /// the status.
    static std::string setupText(const std::string& action, const std::string& elapsed, bool warm,
                                 const builder::BuilderStatus& status);

    /// Returns what setup did as a JSON document.
    static std::string setupJson(const std::string& action, double seconds, bool warm,
                                 const builder::BuilderStatus& status);

    /// Returns what teardown of the builder name (container and volume as given) says it did;
    /// forceFlag is how the user forces it.
    static std::string teardownText(const std::string& name, const std::string& container,
                                    const std::string& volume, const builder::TeardownResult& r,
                                    bool keepDaemon, const std::string& forceFlag);

    /// Returns who a builder was left running for: "the builds of 2 other jobs that hold it
    /// (github:o/r/7/1/build, local:host:1000)".
    static std::string heldByText(const std::vector<std::string>& jobs);

    /// Returns a size in KiB, MiB or GiB ("size unknown" for -1).
    static std::string size(long long bytes);

    /// Returns doctor's findings, one a line with their fixes, and the verdict.
    static std::string text(const doctor::Diagnosis& diagnosis);

    /// Returns doctor's findings as a JSON document.
    static std::string json(const doctor::Diagnosis& diagnosis);
};

} // namespace hoist::report
