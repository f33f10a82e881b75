#pragma once

#include "cli/ParsedCommand.h"

#include <Poco/Timespan.h>

#include <functional>
#include <string>
#include <vector>

namespace hoist::cli
{

/// How the user gave a value, to name it in a message as they gave it.
struct Source
{
    Origin origin = Origin::Default;
    /// "--tag", "HOIST_TAG" or "the action input tags"; an option left at its default is
    /// named by its flag.
    std::string name;
    /// The option's flag ("--tag"), for hints that tell what to pass.
    std::string flag;
    /// The values as they were given (or defaulted), before typing: for listings.
    std::vector<std::string> raw;
    /// As it was typed: "-t", "HOIST_TAG", "INPUT_TAGS"; "" for a default.
    std::string typed;
    /// Where a default value came from, when not the option table ("one per CI job").
    std::string note;
    /// Its variable ("HOIST_TAG") and action input ("tags"; "" none), for hints.
    std::string variable, input;
};

/// A value of an option, with how the user gave it.
template <class T>
struct Given
{
    T value{};
    Source source;

    /// Returns true when the user gave it (a flag, a variable, an action input).
    bool given() const { return source.origin != Origin::Default; }
    /// Returns how the user gave it, for messages.
    const std::string& name() const { return source.name; }
    /// Returns the option's flag, for hints.
    const std::string& flag() const { return source.flag; }
};

using Text = Given<std::string>;
using Texts = Given<std::vector<std::string>>;
using Flag = Given<bool>;
using Duration = Given<Poco::Timespan>;

/// What every command takes.
struct CommonOptions
{
    Text builder;  /// the builder's name (the CI job's when not given)
    Text logLevel; /// debug, info, warning, error
    Flag debug;    /// -D: --log-level debug
    Duration engineConnectTimeout;
    Duration engineIdleTimeout;
    Flag json;       /// version, doctor, inspect, setup: print JSON
    Text captureEnv; /// write the CI context to this file
    Text ciEnv;      /// replay this captured CI context
    Text resultFile; /// write the result as JSON here
    Text ciLeg;      /// the leg of a matrix job ("" outside one)
    Text argsFrom;   /// the variable whose words were added to the arguments (already in them)
};

/// setup's options (and run's and plan's setup half).
struct SetupOptions
{
    Text driver;   /// docker-container or remote
    Text endpoint; /// the remote driver's buildkitd address
    Texts nodes;   /// a multi-node builder's nodes (plan::planNodes)
    Texts driverOpts;
    Text buildkitdFlags;
    Text buildkitdConfig;
    Text buildkitdConfigInline;
    Text imagePull; /// always, missing or never (builder::pullPolicyNamed)
    Duration bootstrapTimeout;
    Texts platforms; /// comma lists, as given
    Text qemu;       /// auto, image, host or off (qemu::modeNamed)
    Text qemuImage;
    Flag reset;   /// qemu: remove every registered emulator first
    Flag use;     /// make it buildx's current builder
    Flag install; /// alias docker build to docker buildx build
};

/// build's options (and run's and plan's build half).
struct BuildOptions
{
    Text context; /// the positional CONTEXT ("." when not given)
    Text file;
    Text target;
    Texts platforms;
    Texts buildArgs;
    Texts labels;
    Texts tags;
    Flag push;
    Flag load;
    Texts outputs;
    Texts cacheFrom;
    Texts cacheTo;
    Texts secrets;
    Text provenance; /// "" when not given
    Text sbom;       /// "" when not given
    Flag noCache;
    Flag pull;
    Texts addHosts;
    Text network;
    Texts buildContexts;
    Texts annotations;
    Text metadataFile;
    Text iidFile;
    Text progress; /// auto, plain, tty, quiet
    Flag sourceDateEpoch;
    Flag ciDefaults;
    Text dotenvFile;
    Texts allow;
    Texts attests;
    Text call;  /// "" when not given
    Flag check; /// --call check
    Text shmSize;
    Texts ulimits;
    Texts resources; /// --resource and docker build's -m, --cpu-shares …, as "KEY=VALUE"
    Text cgroupParent;
    Texts noCacheFilters;
    Flag quiet;
    Text gitTokenEnv; /// the variable that holds a token for the CI server's git contexts
    Texts ssh;
    Text pushByDigest; /// the repository a leg's image is pushed to by digest
    Text digestsDir;   /// where a leg records NAME@DIGEST, a file per platform
};

/// merge's options.
struct MergeOptions
{
    Texts sources; /// the positional SOURCEs (NAME@DIGEST or NAME:TAG)
    Texts tags;
    Texts annotations;
    Text digestsDir;
    Texts insecureRegistries;
    Flag dryRun;
    Texts platforms;   /// only these platforms of the sources
    Text metadataFile; /// the index's descriptor and names, as imagetools create writes them
};

/// teardown's options (keep-state is run's and plan's too).
struct TeardownOptions
{
    Flag keepState;
    Flag keepDaemon;
    Flag force;
};

/// Where the builder's state travels (setup's, teardown's, run's and plan's).
struct StateOptions
{
    Texts from;   /// type=registry,ref=REF / type=local,src=DIR, as given
    Text to;      /// type=registry,ref=REF / type=local,dest=DIR, as given
    Text maxSize; /// e.g. "2g"
    Texts insecureRegistries;
};

/// Everything a command was asked, typed: the one thing modules below cli/ see of options.
/// Each member is bound to its option in the option table (OptionSpec::into), which is the
/// only place that names it; nothing reads an option by its name.
struct Options
{
    std::string command;
    std::vector<std::string> positionals;
    CommonOptions common;
    SetupOptions setup;
    BuildOptions build;
    TeardownOptions teardown;
    MergeOptions merge;
    StateOptions state;
    std::vector<std::string> warnings;

    /// Returns the typed options of parsed: every option of the table through its binding.
    static Options from(const ParsedCommand& parsed);

    /// Calls f with each option's name and how it was given, in the table's order.
    void each(const std::function<void(const std::string& name, const Source&)>& f) const;
};

} // namespace hoist::cli
