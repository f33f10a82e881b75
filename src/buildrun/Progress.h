#pragma once

#include "buildrun/BuildStep.h"

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist::buildrun
{

/// Files of the builder read for hoist as a build ends: path → content (std::nullopt: none).
using ReportedFiles = std::map<std::string, std::optional<std::string>>;

/// Decodes buildctl's --progress=rawjson stream (one SolveStatus JSON object a line: vertexes,
/// statuses, logs with base64 data, warnings) into step events; vertexes repeat and are merged
/// by digest. Lines that are not JSON (buildctl's own errors) are kept as messages.
class Progress
{
public:
    /// Receives every event as it is decoded.
    using Sink = std::function<void(const StepEvent&)>;

    /// A decoder passing events to sink.
    explicit Progress(Sink sink);

    /// Feeds raw stderr bytes; complete lines are decoded.
    void feed(const char* data, std::size_t size);

    /// Decodes what is left of the input.
    void finish();

    /// Returns the steps seen, in start order.
    std::vector<BuildStep> steps() const;

    /// Returns the lines of stderr that were not progress JSON (buildctl's errors).
    const std::vector<std::string>& messages() const;

    /// Returns the frontend's warnings, each once.
    const std::vector<BuildWarning>& warnings() const;

    /// Returns the files the helper reported once buildctl ended (builder::MemoryFiles::
    /// REPORTED): path → content, std::nullopt for one buildctl did not write.
    const ReportedFiles& reported() const;

private:
    void line(const std::string& text);
    void vertex(const Poco::JSON::Object::Ptr& vertex);
    void log(const Poco::JSON::Object::Ptr& log);
    void warning(const Poco::JSON::Object::Ptr& warning);
    void flushLog(const std::string& digest);

    Sink _sink;
    std::string _pending;
    std::map<std::string, BuildStep> _byDigest;
    std::vector<std::string> _order;
    std::map<std::string, std::string> _partialLog; // digest → unterminated log text
    std::map<std::string, bool> _announced;         // digest → Started sent
    std::vector<std::string> _messages;
    std::vector<BuildWarning> _warnings;
    ReportedFiles _reported;
};

} // namespace hoist::buildrun
