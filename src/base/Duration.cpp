// This file implements durations as text: parsing Go's time.ParseDuration forms or plain
// seconds, and formatting them compactly ("850ms", "12.3s", "4m05s").

#include "base/Duration.h"

#include <Poco/Format.h>

#include <cctype>
#include <cstdlib>

namespace hoist::base
{

std::optional<Poco::Timespan> parseDuration(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    bool plain = true;
    for (char c : text)
        plain = plain && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
    if (plain)
        return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::atof(text.c_str()) * 1e6));

    double micros = 0;
    std::size_t i = 0;
    while (i < text.size())
    {
        std::size_t start = i;
        while (i < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        if (start == i)
            return std::nullopt;
        double value = std::atof(text.substr(start, i - start).c_str());
        std::size_t unitStart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        std::string unit = text.substr(unitStart, i - unitStart);
        double scale;
        if (unit == "ms")
            scale = 1e3;
        else if (unit == "s")
            scale = 1e6;
        else if (unit == "m")
            scale = 60e6;
        else if (unit == "h")
            scale = 3600e6;
        else
            return std::nullopt;
        micros += value * scale;
    }
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(micros));
}

std::string formatDuration(const Poco::Timespan& span)
{
    const Poco::Timespan::TimeDiff ms = span.totalMilliseconds();
    if (ms < 1000)
        return Poco::format("%dms", static_cast<int>(ms));
    if (ms < 60000)
        return Poco::format("%.1fs", ms / 1000.0);
    return Poco::format("%dm%02ds", static_cast<int>(ms / 60000),
                        static_cast<int>((ms / 1000) % 60));
}

std::string formatDuration(double seconds)
{
    return formatDuration(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(seconds * 1e6)));
}

} // namespace hoist::base
