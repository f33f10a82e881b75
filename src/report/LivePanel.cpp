// This file implements the live terminal panel: the frame (pure), and drawing it in place with
// ANSI sequences — up to the first line of the last frame, clear to the end of the screen,
// the finished lines, then the new frame — from the callers' threads and a ticker.

#include "report/LivePanel.h"

#include "base/Redactor.h"

#include <Poco/Format.h>

#include <chrono>

namespace hoist::report
{

namespace
{

const char* const BOLD = "\033[1m";
const char* const BLUE = "\033[34m";
const char* const GREEN = "\033[32m";
const char* const DIM = "\033[2m";
const char* const RED = "\033[31m";
const char* const YELLOW = "\033[33m";
constexpr std::size_t LOG_LINES = 4;
constexpr long long REDRAW_US = 200000; // five frames a second at most

// Step output as one line of text: tabs to spaces, other control characters dropped (an
// escape sequence in a step's output must not move the cursor).
std::string printable(const std::string& text)
{
    std::string out;
    for (unsigned char c : text)
    {
        if (c == '\t')
            out += "    ";
        else if (c >= 0x20 && c != 0x7f)
            out += static_cast<char>(c);
    }
    return out;
}

// The first cells of text, a cell a UTF-8 character (wide characters count as one: rare in
// build output, and the line then ends one cell early at worst).
std::string fit(const std::string& text, int width)
{
    int cells = 0;
    std::size_t i = 0;
    for (; i < text.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80)
            continue;
        if (cells == width)
            break;
        ++cells;
    }
    return text.substr(0, i);
}

// The cells a line takes on the screen: its UTF-8 characters, colour sequences left out.
int cellsOf(const std::string& line)
{
    int cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
    {
        if (line[i] == '\033')
        {
            while (i < line.size() && line[i] != 'm')
                ++i;
            continue;
        }
        cells += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    }
    return cells;
}

std::string seconds(double s)
{
    return Poco::format("%.1fs", s);
}

double since(const Poco::Timestamp& from, const Poco::Timestamp& now)
{
    return static_cast<double>(now - from) / 1e6;
}

// A line of width cells: text on the left, right (a timer) at the right edge.
std::string justify(const std::string& text, const std::string& right, int width)
{
    const int room = width - static_cast<int>(right.size()) - 1;
    if (room < 8)
        return fit(text, width);
    std::string left = fit(text, room);
    int cells = 0;
    for (unsigned char c : left)
        cells += (c & 0xC0) != 0x80;
    return left + std::string(static_cast<std::size_t>(room - cells + 1), ' ') + right;
}

std::string mib(std::uint64_t bytes)
{
    return Poco::format("%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

} // namespace

LivePanel::LivePanel(std::ostream& out, std::string title, bool colour, ScreenSize size)
    : _out(out), _title(std::move(title)), _colour(colour), _size(std::move(size))
{
}

LivePanel::~LivePanel()
{
    close();
}

void LivePanel::start()
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_live || _closed)
        return;
    _live = true;
    _ticker = std::thread(
        [this]
        {
            std::unique_lock<std::mutex> l(_mutex);
            while (!_closed)
            {
                _wake.wait_for(l, std::chrono::microseconds(REDRAW_US));
                if (!_closed)
                    draw(true);
            }
        });
}

void LivePanel::setTarget(const std::string& builder, const std::vector<std::string>& platforms)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _builder = builder;
    _platforms = platforms;
}

void LivePanel::phase(const std::string& text)
{
    std::lock_guard<std::mutex> lock(_mutex);
    finishPhase();
    _phase = Phase{printable(base::Redactor::instance().redact(text)), Poco::Timestamp()};
    draw(false);
}

void LivePanel::progress(const std::string& text)
{
    std::lock_guard<std::mutex> lock(_mutex);
    const std::string clean = printable(base::Redactor::instance().redact(text));
    if (_phase)
        _phase->text = clean;
    else
        _phase = Phase{clean, Poco::Timestamp()};
    draw(false);
}

void LivePanel::line(const std::string& text)
{
    std::lock_guard<std::mutex> lock(_mutex);
    const std::string clean = printable(base::Redactor::instance().redact(text));
    commit(clean, clean.find("error: ") != std::string::npos     ? RED
                  : clean.find("warning: ") != std::string::npos ? YELLOW
                                                                 : nullptr);
    draw(false);
}

void LivePanel::finishPhase()
{
    if (!_phase)
        return;
    commit(" => " + _phase->text, DIM, seconds(since(_phase->started, Poco::Timestamp())));
    _phase.reset();
}

void LivePanel::commit(const std::string& text, const char* colour, const std::string& right)
{
    _commits.push_back({text, right, colour});
}

void LivePanel::event(const buildrun::StepEvent& e)
{
    using K = buildrun::StepEvent::Kind;
    if (e.kind == K::Raw)
        return;
    const auto redact = [](const std::string& s)
    { return printable(base::Redactor::instance().redact(s)); };
    std::lock_guard<std::mutex> lock(_mutex);
    const int n = e.step.number;
    const std::string name = "#" + std::to_string(n) + " " + redact(e.step.name);
    switch (e.kind)
    {
    case K::Started:
        finishPhase();
        _running[n] = Running{name, Poco::Timestamp(), {}};
        break;
    case K::Log:
        if (_running.count(n))
        {
            auto& tail = _running[n].tail;
            tail.push_back(redact(e.text));
            while (tail.size() > LOG_LINES)
                tail.pop_front();
        }
        break;
    case K::Cached:
        _running.erase(n);
        commit(name, DIM, "CACHED");
        break;
    case K::Done:
        _running.erase(n);
        commit(name, GREEN, "DONE " + seconds(e.step.seconds));
        break;
    case K::Raw:
        break;
    case K::Failed:
        _running.erase(n);
        commit(name + "  ERROR: " + redact(e.step.error), RED);
        for (const auto& l : e.step.logTail)
            commit("    | " + redact(l), RED);
        break;
    }
    draw(false);
}

void LivePanel::upload(std::uint64_t sent, std::uint64_t total, std::size_t files, bool done)
{
    std::lock_guard<std::mutex> lock(_mutex);
    finishPhase();
    if (!_upload)
        _upload = Upload{0, total, files, Poco::Timestamp()};
    _upload->sent = sent;
    if (done)
    {
        const double s = since(_upload->started, Poco::Timestamp());
        commit(Poco::format("context: %z %s, %s sent in %s (%.1f MiB/s)", files,
                            std::string(files == 1 ? "file" : "files"), mib(sent), seconds(s),
                            s > 0 ? static_cast<double>(sent) / 1048576.0 / s : 0.0),
               GREEN);
        _upload.reset();
    }
    draw(false);
}

void LivePanel::close()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_closed)
            return;
        finishPhase();
        for (const auto& [n, r] : _running)
            commit(r.name, RED, "unfinished");
        _running.clear();
        _upload.reset();
        if (_live)
            draw(true);
        else
            for (const auto& c : _commits)
                _out << c.text << (c.right.empty() ? "" : "  " + c.right) << "\n";
        _commits.clear();
        _closed = true;
        // The live area goes: the finished lines stay, the cursor below them.
        erase();
    }
    _wake.notify_all();
    if (_ticker.joinable())
        _ticker.join();
}

std::string LivePanel::paint(const std::string& text, const char* colour) const
{
    return _colour && colour ? std::string(colour) + text + "\033[0m" : text;
}

std::string LivePanel::header(const Poco::Timestamp& now) const
{
    std::string h = "[+] " + _title;
    if (!_builder.empty())
        h += " · builder " + _builder;
    for (std::size_t i = 0; i < _platforms.size(); ++i)
        h += (i == 0 ? " · " : ", ") + _platforms[i];
    return h + "  " + seconds(since(_started, now));
}

std::vector<std::string> LivePanel::frame(const Poco::Timestamp& now, int width) const
{
    std::vector<std::string> lines = {paint(fit(header(now), width), BOLD)};
    if (_phase)
        lines.push_back(paint(
            justify(" => " + _phase->text, seconds(since(_phase->started, now)), width), BLUE));
    for (const auto& [n, r] : _running)
    {
        lines.push_back(
            paint(justify(" => " + r.name, seconds(since(r.started, now)), width), BLUE));
        for (const auto& l : r.tail)
            lines.push_back(paint(fit("    " + l, width), DIM));
    }
    if (_upload)
    {
        const double s = since(_upload->started, now);
        const double rate = s > 0 ? static_cast<double>(_upload->sent) / 1048576.0 / s : 0;
        lines.push_back(
            paint(fit(Poco::format(" => uploading context: %z files, %s of %s, "
                                   "%.1f MiB/s",
                                   _upload->files, mib(_upload->sent), mib(_upload->total), rate),
                      width),
                  BLUE));
    }
    return lines;
}

void LivePanel::draw(bool force)
{
    if (!_live || _closed)
        return;
    const Poco::Timestamp now;
    if (!force && _commits.empty() && now - _lastDraw < REDRAW_US)
        return;
    _lastDraw = now;
    const Screen screen = _size();
    const int width = screen.columns > 1 ? screen.columns - 1 : 79;
    std::vector<std::string> lines = frame(now, width);
    // Taller than the screen: the cursor could not get back up; keep the header and the rest
    // that fits.
    const std::size_t most = static_cast<std::size_t>(screen.rows > 2 ? screen.rows - 1 : 1);
    if (lines.size() > most)
        lines.erase(lines.begin() + 1, lines.begin() + 1 + static_cast<long>(lines.size() - most));
    std::string text;
    if (const int rows = rowsDrawn(screen.columns); rows > 0)
        text += "\033[" + std::to_string(rows) + "F";
    text += "\033[J";
    for (const auto& c : _commits)
        text += paint(c.right.empty() ? fit(c.text, width) : justify(c.text, c.right, width),
                      c.colour) +
                "\n";
    _commits.clear();
    _drawn.clear();
    for (const auto& l : lines)
    {
        text += l + "\n";
        _drawn.push_back(cellsOf(l));
    }
    _out << text << std::flush;
}

void LivePanel::erase()
{
    const int rows = _drawn.empty() ? 0 : rowsDrawn(_size().columns);
    if (rows > 0)
        _out << "\033[" << rows << "F\033[J" << std::flush;
    _drawn.clear();
}

void LivePanel::above(const std::function<void()>& write)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_live && !_closed)
        draw(true); // the finished lines first, in order
    erase();
    write();
    draw(true);
}

int LivePanel::rowsDrawn(int columns) const
{
    // A terminal made narrower reflows the last frame: a line longer than the new width now
    // takes several rows.
    int rows = 0;
    for (int cells : _drawn)
        rows += columns > 0 && cells > columns ? (cells + columns - 1) / columns : 1;
    return rows;
}

} // namespace hoist::report
