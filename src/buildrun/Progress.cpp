// This file implements the rawjson progress decoder (reference §3.2): vertex state changes
// become step events, log chunks become lines.

#include "buildrun/Progress.h"

#include "base/Strings.h"

#include <Poco/Base64Decoder.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace hoist::buildrun
{

namespace
{

std::string base64(const std::string& in)
{
    std::istringstream src(in);
    Poco::Base64Decoder dec(src);
    std::string out;
    Poco::StreamCopier::copyToString(dec, out);
    return out;
}

double seconds(const std::string& from, const std::string& to)
{
    try
    {
        int tz;
        Poco::DateTime a =
            Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, from, tz);
        Poco::DateTime b =
            Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, to, tz);
        return (b - a).totalMicroseconds() / 1e6;
    }
    catch (const Poco::Exception&)
    {
        return 0;
    }
}

std::string str(const Poco::JSON::Object::Ptr& o, const char* key)
{
    return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : "";
}

} // namespace

Progress::Progress(Sink sink) : _sink(std::move(sink)) {}

void Progress::feed(const char* data, std::size_t size)
{
    _pending.append(data, size);
    std::string::size_type nl;
    while ((nl = _pending.find('\n')) != std::string::npos)
    {
        std::string l = _pending.substr(0, nl);
        _pending.erase(0, nl + 1);
        line(l);
    }
}

void Progress::finish()
{
    if (!_pending.empty())
        line(_pending);
    _pending.clear();
    // The last line a step printed without a newline is often the very error.
    for (const auto& d : _order)
        flushLog(d);
}

void Progress::flushLog(const std::string& digest)
{
    auto partial = _partialLog.find(digest);
    if (partial == _partialLog.end() || partial->second.empty())
        return;
    const std::string text = partial->second;
    partial->second.clear();
    BuildStep& s = _byDigest[digest];
    s.logTail.push_back(text);
    if (s.logTail.size() > 20)
        s.logTail.erase(s.logTail.begin());
    _sink({StepEvent::Kind::Log, s, text});
}

void Progress::line(const std::string& text)
{
    if (text.empty())
        return;
    Poco::JSON::Object::Ptr status;
    try
    {
        if (text[0] == '{')
            status = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
    }
    if (!status)
    {
        _messages.push_back(text);
        return;
    }
    auto vertexes = status->getArray("vertexes");
    for (std::size_t i = 0; vertexes && i < vertexes->size(); ++i)
        vertex(vertexes->getObject(static_cast<unsigned>(i)));
    auto logs = status->getArray("logs");
    for (std::size_t i = 0; logs && i < logs->size(); ++i)
        log(logs->getObject(static_cast<unsigned>(i)));
}

void Progress::vertex(const Poco::JSON::Object::Ptr& v)
{
    const std::string digest = str(v, "digest");
    bool known = _byDigest.count(digest) > 0;
    BuildStep& s = _byDigest[digest];
    if (!known)
    {
        _order.push_back(digest);
        s.number = static_cast<int>(_order.size());
    }
    s.name = str(v, "name");
    const bool cached = v->optValue<bool>("cached", false);
    const std::string started = str(v, "started");
    const std::string completed = str(v, "completed");
    const std::string error = str(v, "error");
    if (!_announced[digest] && (!started.empty() || cached))
    {
        _announced[digest] = true;
        _sink({StepEvent::Kind::Started, s, ""});
    }
    if (cached && !s.cached && !s.done)
    {
        s.cached = s.done = true;
        _sink({StepEvent::Kind::Cached, s, ""});
    }
    else if (!error.empty() && !s.failed)
    {
        flushLog(digest);
        s.failed = true;
        s.error = error;
        s.seconds = seconds(started, completed);
        _sink({StepEvent::Kind::Failed, s, ""});
    }
    else if (!completed.empty() && !s.done && !s.failed)
    {
        flushLog(digest);
        s.done = true;
        s.seconds = seconds(started, completed);
        _sink({StepEvent::Kind::Done, s, ""});
    }
}

void Progress::log(const Poco::JSON::Object::Ptr& l)
{
    const std::string digest = str(l, "vertex");
    std::string textPart = _partialLog[digest] + base64(str(l, "data"));
    std::string::size_type nl;
    BuildStep& s = _byDigest[digest];
    while ((nl = textPart.find('\n')) != std::string::npos)
    {
        std::string lineText = textPart.substr(0, nl);
        textPart.erase(0, nl + 1);
        s.logTail.push_back(lineText);
        if (s.logTail.size() > 20)
            s.logTail.erase(s.logTail.begin());
        _sink({StepEvent::Kind::Log, s, lineText});
    }
    _partialLog[digest] = textPart;
}

std::vector<BuildStep> Progress::steps() const
{
    std::vector<BuildStep> out;
    for (const auto& d : _order)
        out.push_back(_byDigest.at(d));
    return out;
}

const std::vector<std::string>& Progress::messages() const
{
    return _messages;
}

} // namespace hoist::buildrun
