#pragma once

#include "report/RunReport.h"

#include <string>

namespace hoist::report
{

/// The machine-readable result of a command (--result-file): JSON with the builder, the build
/// (digest, image id and name, steps cached of total, duration, metadata) and the outcome.
class ResultFile
{
public:
    /// Returns the JSON text of report.
    static std::string json(const RunReport& report);

    /// Writes it to path. Throws Poco::FileException when it cannot.
    static void write(const std::string& path, const RunReport& report);
};

} // namespace hoist::report
