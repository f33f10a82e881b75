#pragma once
// This file declares the exceptions that carry an exit-code meaning, and the mapping from
// any exception to hoist's exit code (docs/exit-codes.md).

#include <Poco/Exception.h>

#include <string>

namespace hoist::base
{

/// The exit codes of hoist; the contract is docs/exit-codes.md.
enum ExitCode
{
    EXIT_OK = 0,           /// success
    EXIT_BUILD_FAILED = 1, /// the user's build itself failed
    EXIT_USAGE = 64,       /// bad flags or inputs
    EXIT_UNAVAILABLE = 69, /// engine unreachable, feature unavailable or not supported yet
    EXIT_SOFTWARE = 70,    /// internal error: a bug in hoist
    EXIT_IOERR = 74,       /// a file on this machine cannot be written (disk full, permissions)
    EXIT_TEMPFAIL = 75,    /// a retryable failure, e.g. a registry timeout
    EXIT_CONFIG = 78,      /// bad configuration (files, contexts)
    EXIT_CANCELLED = 130   /// stopped by SIGINT, SIGTERM or SIGHUP after cleaning up
};

/// Bad flags, environment values or inputs. The message may hold several problems, one a line.
POCO_DECLARE_EXCEPTION(, UsageException, Poco::Exception)
/// A configuration file or context that cannot be used as it is.
POCO_DECLARE_EXCEPTION(, ConfigException, Poco::Exception)
/// The engine, or a feature hoist needs from it or from the host, is not available.
POCO_DECLARE_EXCEPTION(, UnavailableException, Poco::Exception)
/// A feature that hoist has not implemented yet.
POCO_DECLARE_EXCEPTION(, NotSupportedYetException, UnavailableException)
/// A failure worth retrying as it is (timeouts, transient registry errors).
POCO_DECLARE_EXCEPTION(, RetryableException, Poco::Exception)
/// The user's build failed (a Dockerfile step, a missing base image).
POCO_DECLARE_EXCEPTION(, BuildFailedException, Poco::Exception)
/// The operation was cancelled by a signal.
POCO_DECLARE_EXCEPTION(, CancelledException, Poco::Exception)

/// Returns the exit code for an exception, per docs/exit-codes.md: 70 for anything unknown.
int exitCodeFor(const Poco::Exception& exc);

/// Returns the message to show the user: hoist's own exceptions carry a finished sentence;
/// any other gets its kind in front ("I/O error: …").
std::string userMessage(const Poco::Exception& exc);

} // namespace hoist::base
