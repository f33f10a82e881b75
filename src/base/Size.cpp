// This file implements sizes as docker's tools read them (units.RAMInBytes).

#include "base/Size.h"

#include <Poco/NumberParser.h>
#include <Poco/RegularExpression.h>

#include <cctype>
#include <cmath>

namespace hoist::base
{

std::optional<long long> parseSize(const std::string& text)
{
    static const Poco::RegularExpression re("^([0-9]+(\\.[0-9]+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
    Poco::RegularExpression::MatchVec m;
    if (!re.match(text, 0, m))
        return std::nullopt;
    double number = 0;
    if (!Poco::NumberParser::tryParseFloat(text.substr(m[1].offset, m[1].length), number))
        return std::nullopt;
    int power = 0;
    if (m.size() > 3 && m[3].offset != std::string::npos && m[3].length)
        power = static_cast<int>(std::string("kmgtp").find(static_cast<char>(
                                     std::tolower(static_cast<unsigned char>(text[m[3].offset])))) +
                                 1);
    return static_cast<long long>(number * std::pow(1024.0, power));
}

} // namespace hoist::base
