// This file implements hoist's exceptions, the exit code each maps to (docs/exit-codes.md), and
// the message the user sees for any exception.

#include "base/Error.h"

#include <typeinfo>

namespace hoist::base
{

POCO_IMPLEMENT_EXCEPTION(UsageException, Poco::Exception, "usage")
POCO_IMPLEMENT_EXCEPTION(ConfigException, Poco::Exception, "configuration")
POCO_IMPLEMENT_EXCEPTION(UnavailableException, Poco::Exception, "unavailable")
POCO_IMPLEMENT_EXCEPTION(NotSupportedYetException, UnavailableException, "not supported yet")
POCO_IMPLEMENT_EXCEPTION(RetryableException, Poco::Exception, "temporary failure")
POCO_IMPLEMENT_EXCEPTION(BuildFailedException, Poco::Exception, "build failed")
POCO_IMPLEMENT_EXCEPTION(CancelledException, Poco::Exception, "cancelled")

int exitCodeFor(const Poco::Exception& exc)
{
    if (dynamic_cast<const UsageException*>(&exc))
        return EXIT_USAGE;
    if (dynamic_cast<const ConfigException*>(&exc))
        return EXIT_CONFIG;
    if (dynamic_cast<const UnavailableException*>(&exc))
        return EXIT_UNAVAILABLE;
    if (dynamic_cast<const RetryableException*>(&exc) ||
        dynamic_cast<const Poco::TimeoutException*>(&exc))
        return EXIT_TEMPFAIL;
    if (dynamic_cast<const BuildFailedException*>(&exc))
        return EXIT_BUILD_FAILED;
    if (dynamic_cast<const Poco::FileException*>(&exc))
        return EXIT_IOERR;
    // Whichever signal cancelled (INT, TERM, HUP): the documented code, as for Ctrl-C.
    if (dynamic_cast<const CancelledException*>(&exc))
        return EXIT_CANCELLED;
    return EXIT_SOFTWARE;
}

std::string userMessage(const Poco::Exception& exc)
{
    bool ours = dynamic_cast<const UsageException*>(&exc) ||
                dynamic_cast<const ConfigException*>(&exc) ||
                dynamic_cast<const UnavailableException*>(&exc) ||
                dynamic_cast<const RetryableException*>(&exc) ||
                dynamic_cast<const BuildFailedException*>(&exc) ||
                dynamic_cast<const CancelledException*>(&exc);
    // File errors hoist raises name the path and the reason themselves.
    if (dynamic_cast<const Poco::FileException*>(&exc) && !exc.message().empty())
        return exc.message();
    return ours ? exc.message() : exc.displayText();
}

} // namespace hoist::base
