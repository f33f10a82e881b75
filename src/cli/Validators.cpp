// This file implements the value checks the option table's rows share: a choice, a builder
// name, a duration, a file to write, an existing file.

#include "cli/Validators.h"

#include "base/Duration.h"
#include "base/Strings.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/RegularExpression.h>

#include <algorithm>

namespace hoist::cli
{

Validator oneOf(std::vector<std::string> choices)
{
    return [choices](const std::string& value) -> std::string
    {
        if (std::find(choices.begin(), choices.end(), value) != choices.end())
            return "";
        return "must be one of " + base::join(choices, ", ");
    };
}

Validator builderName()
{
    return [](const std::string& value) -> std::string
    {
        // buildx validates names with ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$ (store.ValidateName).
        static const Poco::RegularExpression re("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
        if (!value.empty() && re.match(value))
            return "";
        return "is not a valid builder name: use letters, digits, '-', '_' and '.', "
               "starting with a letter or digit";
    };
}

Validator duration()
{
    return [](const std::string& value) -> std::string
    { return base::parseDuration(value) ? "" : "is not a duration: use e.g. 30s, 5m or 1m30s"; };
}

Validator fileToWrite()
{
    return [](const std::string& value) -> std::string
    {
        Poco::Path path(value);
        path.makeAbsolute();
        if (path.getFileName().empty() ||
            (Poco::File(path).exists() && Poco::File(path).isDirectory()))
            return "is a directory: name a file in it";
        Poco::File dir(path.parent());
        if (dir.exists() && dir.isDirectory())
            return "";
        return "is in a directory that does not exist: create " +
               base::quoted(path.parent().toString()) + " first";
    };
}

Validator existingFile()
{
    return [](const std::string& value) -> std::string
    {
        Poco::File file(value);
        if (file.exists() && file.isFile())
            return "";
        return file.exists() ? "is not a regular file" : "does not exist";
    };
}

} // namespace hoist::cli
