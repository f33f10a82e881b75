#pragma once

#include "cli/Options.h"

#include <istream>
#include <string>

namespace hoist::app
{

/// A build's context or Dockerfile given as "-", read from stdin as buildx reads them: the
/// context "-" is a tar (plain or gzip-compressed) holding the context, or else a Dockerfile
/// with an empty context; `-f -` is the Dockerfile. What stdin held lives in a private
/// temporary directory for as long as this object, the options pointed at it.
class StdinFiles
{
public:
    /// Reads stdin when options ask for it. Throws base::UsageException for stdin asked twice
    /// (context and Dockerfile) or a Dockerfile from both stdin and -f, Poco::Exception when
    /// the tar cannot be read.
    StdinFiles(const cli::Options& options, std::istream& in);

    /// Removes the directory.
    ~StdinFiles();

    StdinFiles(const StdinFiles&) = delete;
    StdinFiles& operator=(const StdinFiles&) = delete;

    /// Returns the options, "-" replaced by where stdin's files are.
    const cli::Options& options() const;

private:
    void readContext(std::istream& in);
    void readDockerfile(std::istream& in, const std::string& name);

    cli::Options _options;
    std::string _dir; // "" when stdin was not read
};

} // namespace hoist::app
