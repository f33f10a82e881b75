#pragma once

#include "buildrun/BuildStep.h"
#include "report/Console.h"

#include <Poco/Timestamp.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace hoist::report
{

/// The terminal view of a build or a whole run (buildx's tty mode, and more): a live area at the
/// bottom of the terminal, redrawn in place at most five times a second and sized to the
/// terminal each time (so a resize is followed): a header (what runs, builder, platforms,
/// elapsed time), the current setup or teardown phase with its timer, one line per running step
/// with its timer and the last lines of its log, and the context upload (bytes, files, rate).
/// What is finished goes above the live area once, as one line each: a phase with its time, a
/// step with its time or CACHED, the upload's totals, and any warning. Lines never wrap; step
/// output cannot move the cursor (control characters are dropped). close() leaves the cursor on
/// a fresh line below everything, as after any command.
class LivePanel : public ConsoleOverlay
{
public:
    /// The terminal's size in character cells.
    struct Screen
    {
        int columns = 80;
        int rows = 24;
    };
    using ScreenSize = std::function<Screen()>;

    /// A panel on out (a terminal): title names what runs ("hoist build"), colour enables
    /// ANSI colours, size is asked before every redraw.
    LivePanel(std::ostream& out, std::string title, bool colour, ScreenSize size);

    /// Closes the panel.
    ~LivePanel() override;

    LivePanel(const LivePanel&) = delete;
    LivePanel& operator=(const LivePanel&) = delete;

    /// Starts the redraws (a thread that ticks the timers). Until then nothing is drawn.
    void start();

    /// Sets the header's facts: the builder and the platforms.
    void setTarget(const std::string& builder, const std::vector<std::string>& platforms);

    /// A phase of setup or teardown begins ("creating container …"): the previous one is
    /// finished, with its time.
    void phase(const std::string& text) override;

    /// The current phase, further on ("pulling image …: 12.0 of 40.0 MiB"): its text changes,
    /// its timer goes on. A phase when there is none.
    void progress(const std::string& text);

    /// A line to keep above the panel (a warning, a note that is no phase).
    void line(const std::string& text) override;

    /// Takes the live area away, runs write (results on stdout, the same terminal), and draws
    /// it again below.
    void above(const std::function<void()>& write) override;

    /// A build step's event.
    void event(const buildrun::StepEvent& e);

    /// The context upload: sent of total bytes, files files in all; done once it is sent.
    void upload(std::uint64_t sent, std::uint64_t total, std::size_t files, bool done);

    /// Finishes what is live (the current phase), draws the last frame and stops the redraws.
    /// Idempotent.
    void close();

    /// Returns the live area's lines at now, at most width cells each (without colours when
    /// the panel has none). For tests.
    std::vector<std::string> frame(const Poco::Timestamp& now, int width) const;

private:
    struct Running
    {
        std::string name;
        Poco::Timestamp started;
        std::deque<std::string> tail;
    };
    struct Phase
    {
        std::string text;
        Poco::Timestamp started;
    };
    struct Upload
    {
        std::uint64_t sent = 0;
        std::uint64_t total = 0;
        std::size_t files = 0;
        Poco::Timestamp started;
    };

    void draw(bool force);
    void erase();
    int rowsDrawn(int columns) const;
    void finishPhase();
    void commit(const std::string& text, const char* colour, const std::string& right = "");
    std::string paint(const std::string& text, const char* colour) const;
    std::string header(const Poco::Timestamp& now) const;

    std::ostream& _out;
    std::string _title;
    bool _colour;
    ScreenSize _size;
    Poco::Timestamp _started;
    std::string _builder;
    std::vector<std::string> _platforms;
    std::optional<Phase> _phase;
    std::map<int, Running> _running;
    std::optional<Upload> _upload;
    struct Kept
    {
        std::string text;
        std::string right; /// at the right edge (a step's time or CACHED), when it fits
        const char* colour = nullptr;
    };
    std::vector<Kept> _commits; /// lines to print above the live area at the next draw
    std::vector<int> _drawn;    /// the cells of each line of the live area on the screen
    Poco::Timestamp _lastDraw;
    bool _live = false; /// start() was called
    bool _closed = false;
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::thread _ticker;
};

} // namespace hoist::report
