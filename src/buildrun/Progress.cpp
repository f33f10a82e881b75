// This file implements the rawjson progress decoder: vertex state changes
// become step events, log chunks become lines.

#include "buildrun/Progress.h"

#include "builder/MemoryFiles.h"

#include "base/Base64.h"
#include "base/Redactor.h"
#include "base/Strings.h"

#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace hoist::buildrun
{

namespace
{

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

// The status line as it came, its logs' secrets redacted (they travel base64-encoded, where
// no redaction of the text would find them).
std::string redactedLine(const Poco::JSON::Object::Ptr& status, const std::string& text)
{
    const base::Redactor& redactor = base::Redactor::instance();
    auto logs = status->getArray("logs");
    bool changed = false;
    for (std::size_t i = 0; logs && i < logs->size(); ++i)
    {
        auto log = logs->getObject(static_cast<unsigned>(i));
        const std::string data = log ? base::fromBase64(str(log, "data")) : "";
        const std::string redacted = redactor.redact(data);
        if (redacted != data)
        {
            log->set("data", base::toBase64(redacted));
            changed = true;
        }
    }
    if (!changed)
        return redactor.redact(text);
    std::ostringstream out;
    status->stringify(out);
    return redactor.redact(out.str());
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

const ReportedFiles& Progress::reported() const
{
    return _reported;
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
    if (auto file = status->getObject(builder::MemoryFiles::REPORTED))
    {
        const auto data = file->optValue<std::string>("data", "");
        _reported[file->optValue<std::string>("path", "")] =
            file->has("data") ? std::optional<std::string>(base::fromBase64(data)) : std::nullopt;
        return;
    }
    _sink({StepEvent::Kind::Raw, {}, redactedLine(status, text)});
    auto vertexes = status->getArray("vertexes");
    for (std::size_t i = 0; vertexes && i < vertexes->size(); ++i)
        vertex(vertexes->getObject(static_cast<unsigned>(i)));
    auto logs = status->getArray("logs");
    for (std::size_t i = 0; logs && i < logs->size(); ++i)
        log(logs->getObject(static_cast<unsigned>(i)));
    auto warnings = status->getArray("warnings");
    for (std::size_t i = 0; warnings && i < warnings->size(); ++i)
        warning(warnings->getObject(static_cast<unsigned>(i)));
}

void Progress::warning(const Poco::JSON::Object::Ptr& w)
{
    if (!w)
        return;
    BuildWarning out;
    // "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)"
    std::string text = base::fromBase64(w->optValue<std::string>("short", ""));
    static const Poco::RegularExpression LINE(" \\(line [0-9]+\\)$");
    LINE.subst(text, "");
    static const Poco::RegularExpression RULE("^([A-Za-z0-9]+): ");
    std::vector<std::string> rule;
    if (RULE.split(text, rule) == 2)
    {
        out.rule = rule[1];
        text = text.substr(rule[1].size() + 2);
    }
    out.message = text;
    auto detail = w->getArray("detail");
    for (std::size_t i = 0; detail && i < detail->size(); ++i)
        out.detail += (i ? " " : "") +
                      base::fromBase64(detail->getElement<std::string>(static_cast<unsigned>(i)));
    out.url = w->optValue<std::string>("url", "");
    std::ostringstream raw;
    w->stringify(raw);
    out.raw = raw.str();
    if (auto info = w->getObject("sourceInfo"))
        out.file = info->optValue<std::string>("filename", "");
    auto ranges = w->getArray("range");
    if (ranges && ranges->size() > 0)
        if (auto start = ranges->getObject(0)->getObject("start"))
            out.line = start->optValue<int>("line", 0);
    for (const auto& seen : _warnings)
    {
        if (seen.rule == out.rule && seen.message == out.message && seen.line == out.line)
            return;
    }
    _warnings.push_back(out);
}

const std::vector<BuildWarning>& Progress::warnings() const
{
    return _warnings;
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
    std::string textPart = _partialLog[digest] + base::fromBase64(str(l, "data"));
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
