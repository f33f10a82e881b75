// This file implements the option table: the one place that names hoist's commands, options
// and their HOIST_* environment variables. Options use buildx's names where buildx has one.

#include "cli/OptionTable.h"

#include "cli/OptionBinding.h"
#include "cli/Resource.h"
#include "cli/Validators.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace hoist::cli
{

const OptionTable& OptionTable::instance()
{
    static const OptionTable table;
    return table;
}

// buildx build options hoist does not have yet: they fail with "not supported yet", never
// with "unknown option", so users know it is hoist, not their spelling.
namespace
{
// buildx's secret forms from build-push-action's "KEY=VAR" and "KEY=PATH" inputs.
std::function<std::string(const std::string&)> actionSecret(const char* kind)
{
    return [kind](const std::string& item)
    {
        auto eq = item.find('=');
        if (eq == std::string::npos)
            return item;
        return "id=" + item.substr(0, eq) + "," + kind + "=" + item.substr(eq + 1);
    };
}

// build-push-action's "KEY=VALUE" secrets: the value stays in the input, read when the build
// is prepared (ActionList::secret); the option holds where it is.
std::function<std::string(const std::string&)> actionSecretValue()
{
    return [](const std::string& item)
    {
        const auto eq = item.find('=');
        return "id=" + (eq == std::string::npos ? item : item.substr(0, eq)) + ",input=secrets";
    };
}

const char* BUILD_NOT_YET[] = {"policy", "builder-remote"};
std::vector<RefusedInput> refusedInputTable()
{
    // Inputs of setup-buildx-action and build-push-action that the actions declare (so a
    // workflow's value reaches hoist instead of being dropped by the runner) but no option
    // takes yet.
    const std::vector<std::string> setupCommands = {"setup", "run", "plan"};
    const std::vector<std::string> buildCommands = {"build", "run", "plan"};
    const std::string notYet = "not supported yet by hoist";
    std::vector<RefusedInput> refused = {
        {"version",
         setupCommands,
         {""},
         "selects the buildx release to install; hoist needs no buildx: remove it (later "
         "docker buildx steps use hoist's builder with the runner's buildx)"},
        {"append",
         setupCommands,
         {""},
         "is read by hoist's actions, which pass its nodes as --node: give hoist --node "
         "(docs/multi-node.md)"},
        // setup-qemu-action's: hoist keeps no cache of the installer image either way.
        {"cache-image",
         {"setup", "run", "plan", "qemu"},
         {"", "true", "false"},
         "must be true or false"},
    };

    return refused;
}

// The job's matrix (the actions pass toJSON(matrix)) as a leg name: its values joined,
// "" for a job without one.
std::string matrixLeg(const std::string& json)
{
    std::string leg;
    try
    {
        Poco::Dynamic::Var v = Poco::JSON::Parser().parse(json);
        Poco::JSON::Object::Ptr o = v.type() == typeid(Poco::JSON::Object::Ptr)
                                        ? v.extract<Poco::JSON::Object::Ptr>()
                                        : nullptr;
        std::vector<std::string> keys;
        if (o)
            o->getNames(keys);
        for (const auto& k : keys)
        {
            std::string value =
                o->get(k).isString() ? o->getValue<std::string>(k) : o->get(k).toString();
            leg += (leg.empty() ? "" : "-") + value;
        }
    }
    catch (const Poco::Exception&)
    {
        leg = json; // not JSON: a name given as it is
    }
    return leg;
}

// Options every command takes.
std::vector<OptionSpec> commonOptions()
{
    using O = OptionSpec;
    return {O::single("builder", "NAME",
                      "the builder to use; buildx's container is named buildx_buildkit_<NAME>0")
                .alias("name")
                .byDefault("hoist")
                .alsoEnv("BUILDX_BUILDER")
                .checkedBy(builderName())
                .into(&Options::common, &CommonOptions::builder),
            O::single("args-from", "VAR",
                      "more arguments from the variable VAR, split as a shell splits words "
                      "(quotes keep spaces; nothing is expanded or run), in their place")
                .into(&Options::common, &CommonOptions::argsFrom),
            O::single("ci-leg", "NAME",
                      "which leg of a matrix job this is, so legs never share a builder, its "
                      "session or a cache scope (the actions pass the job's matrix)")
                .fromAction("matrix", false, matrixLeg)
                .whole()
                .into(&Options::common, &CommonOptions::ciLeg),
            O::single("log-level", "LEVEL",
                      "diagnostic logging to stderr: debug, info, warning or error")
                .byDefault("warning")
                .checkedBy(oneOf({"debug", "info", "warning", "error"}))
                .into(&Options::common, &CommonOptions::logLevel),
            O::flag("debug", "shorthand for --log-level debug, as buildx's -D")
                .letter('D')
                .into(&Options::common, &CommonOptions::debug),
            O::single("engine-connect-timeout", "DURATION",
                      "how long to wait for the Docker engine to accept a connection")
                .byDefault("10s")
                .checkedBy(duration())
                .into(&Options::common, &CommonOptions::engineConnectTimeout),
            O::single("engine-idle-timeout", "DURATION",
                      "how long an engine response may stay silent before hoist gives up")
                .byDefault("5m")
                .checkedBy(duration())
                .into(&Options::common, &CommonOptions::engineIdleTimeout),
            O::flag("help", "show help for the command").letter('h'),
            O::flag("json", "print the result as JSON")
                .only({"version", "doctor", "inspect", "setup"})
                .into(&Options::common, &CommonOptions::json)};
}

// The builder's driver and, for the remote driver, its daemon.
std::vector<OptionSpec> driverOptions()
{
    using O = OptionSpec;
    return {O::single("driver", "NAME",
                      "the builder's driver, as buildx's: docker-container (a BuildKit container "
                      "hoist runs on the engine) or remote (a buildkitd that already runs, at "
                      "--endpoint; hoist makes and removes nothing there)")
                .only({"setup", "run", "plan"})
                .fromAction("driver")
                .byDefault("docker-container")
                .checkedBy(oneOf({"docker-container", "remote"}))
                .into(&Options::setup, &SetupOptions::driver),
            O::single("endpoint", "ADDRESS",
                      "the remote driver's buildkitd: tcp://HOST:PORT or unix:///PATH (the "
                      "docker-container driver's engine is DOCKER_HOST's or DOCKER_CONTEXT's)")
                .only({"setup", "run", "plan"})
                .fromAction("endpoint")
                .into(&Options::setup, &SetupOptions::endpoint),
            O::list("node", "FIELDS",
                    "a node of a multi-node builder, as buildx's create --append: "
                    "name=NAME,endpoint=DOCKER_HOST,platform=LIST,driver-opt=K=V (repeatable "
                    "fields; quote one holding commas). Each platform builds on the node that "
                    "pins it, else on one that runs it natively; the image is pushed under the "
                    "tags as one index")
                .only({"setup", "run", "plan"})
                .into(&Options::setup, &SetupOptions::nodes)};
}

// setup's options (run's and plan's too): the builder and QEMU.
std::vector<OptionSpec> setupOptions()
{
    using O = OptionSpec;
    return {
        O::list("driver-opt", "KEY=VALUE",
                "a driver option, as buildx's; docker-container: image, network, memory, "
                "memory-swap, cpu-quota, cpu-period, cpu-shares, cpuset-cpus, cpuset-mems, "
                "cgroup-parent, restart-policy, default-load, env.NAME, provenance-add-gha; "
                "remote: cacert, cert, key (files), servername, default-load, and image (the "
                "BuildKit image whose buildctl hoist runs on the local engine); "
                "comma-separated KEY=VALUE fields")
            .only({"setup", "run", "plan"})
            .fromAction("driver-opts")
            .into(&Options::setup, &SetupOptions::driverOpts)
            .toBuildx(BuildxCommand::Create),
        O::single("buildkitd-flags", "FLAGS", "flags for buildkitd, as one shell-quoted string")
            .only({"setup", "run", "plan"})
            .fromAction("buildkitd-flags")
            .into(&Options::setup, &SetupOptions::buildkitdFlags)
            .toBuildx(BuildxCommand::Create),
        O::single(
            "buildkitd-config", "FILE",
            "a buildkitd.toml; registry CA and key files it names are copied into the builder "
            "(merge and the state's snapshots speak plain http to its http = true registries)")
            .only({"setup", "run", "plan", "merge"})
            .fromAction("config") // setup-buildx-action v3's name; buildkitd-config wins over it
            .fromAction("buildkitd-config")
            .into(&Options::setup, &SetupOptions::buildkitdConfig)
            .toBuildx(BuildxCommand::Create),
        O::single("buildkitd-config-inline", "TOML", "a buildkitd.toml given as text")
            .only({"setup", "run", "plan", "merge"})
            .fromAction("config-inline")
            .fromAction("buildkitd-config-inline")
            .into(&Options::setup, &SetupOptions::buildkitdConfigInline),
        O::single("image-pull", "WHEN", "when to pull the BuildKit image: always, missing or never")
            .only({"setup", "run", "plan"})
            .alias("pull") // setup's --pull; in run and plan --pull is build's
            .byDefault("missing")
            .checkedBy(oneOf({"always", "missing", "never"}))
            .into(&Options::setup, &SetupOptions::imagePull),
        O::single("bootstrap-timeout", "DURATION", "how long to wait for buildkitd to answer")
            .only({"setup", "run", "plan"})
            .byDefault("60s")
            .checkedBy(duration())
            .into(&Options::setup, &SetupOptions::bootstrapTimeout),
        O::list("platform", "PLATFORMS",
                "platforms the builder must run (e.g. linux/amd64,linux/arm64): QEMU is "
                "registered for those the engine's CPU cannot run; merge: only these platforms "
                "of the sources, as imagetools create --platform; qemu: the emulators to register "
                "(all when none is given, as docker/setup-qemu-action)")
            .only({"setup", "build", "run", "plan", "merge", "qemu"})
            .fromAction("platforms", true)
            .into(&Options::setup, &SetupOptions::platforms)
            .into(&Options::build, &BuildOptions::platforms)
            .into(&Options::merge, &MergeOptions::platforms)
            .toBuildx(BuildxCommand::Build),
        O::flag("install", "make docker build run docker buildx build (on the current builder), as "
                           "docker buildx install and setup-buildx-action v3's install input do: "
                           "aliases.builder in the docker CLI's config.json")
            .only({"setup"})
            .fromAction("install")
            .into(&Options::setup, &SetupOptions::install),
        O::flag("use", "make the builder the current one for docker buildx and later hoist steps, "
                       "as docker buildx use does")
            .only({"setup"})
            .fromAction("use")
            .into(&Options::setup, &SetupOptions::use)};
}

// How QEMU is registered: setup's, build's and docker/setup-qemu-action's (hoist qemu).
std::vector<OptionSpec> qemuOptions()
{
    using O = OptionSpec;
    return {
        O::single("qemu", "MODE",
                  "how to register QEMU: auto (image, else the host's qemu-user-static), image, "
                  "host or off")
            .only({"setup", "build", "run", "plan", "qemu"})
            .byDefault("auto")
            .checkedBy(oneOf({"auto", "image", "host", "off"}))
            .into(&Options::setup, &SetupOptions::qemu),
        O::single("qemu-image", "REF", "the QEMU installer image, as docker/setup-qemu-action's")
            .only({"setup", "build", "run", "plan", "qemu"})
            .byDefault("tonistiigi/binfmt:latest")
            .fromAction("image")
            .into(&Options::setup, &SetupOptions::qemuImage),
        O::flag("reset", "remove every QEMU emulator registered before registering, as "
                         "docker/setup-qemu-action's reset input")
            .only({"qemu"})
            .fromAction("reset")
            .into(&Options::setup, &SetupOptions::reset)};
}

// build's options (run's and plan's too): what goes in.
std::vector<OptionSpec> buildInputOptions()
{
    using O = OptionSpec;
    return {
        O::single("file", "PATH", "the Dockerfile (default CONTEXT/Dockerfile)")
            .letter('f')
            .only({"build", "run", "plan"})
            .fromAction("file")
            .into(&Options::build, &BuildOptions::file)
            .toBuildx(BuildxCommand::Build),
        O::single("target", "STAGE", "the stage to build")
            .only({"build", "run", "plan"})
            .fromAction("target")
            .into(&Options::build, &BuildOptions::target)
            .toBuildx(BuildxCommand::Build),
        O::list("build-arg", "KEY[=VALUE]",
                "a build argument; KEY alone takes its value from the environment")
            .only({"build", "run", "plan"})
            .fromAction("build-args")
            .into(&Options::build, &BuildOptions::buildArgs)
            .toBuildx(BuildxCommand::Build),
        O::list("label", "KEY=VALUE", "an image label")
            .only({"build", "run", "plan"})
            .fromAction("labels")
            .into(&Options::build, &BuildOptions::labels)
            .toBuildx(BuildxCommand::Build),
        O::list("tag", "NAME", "an image name, e.g. registry/app:1.2")
            .letter('t')
            .only({"build", "run", "plan", "merge"})
            .fromAction("tags", true)
            .into(&Options::build, &BuildOptions::tags)
            .into(&Options::merge, &MergeOptions::tags)
            .toBuildx(BuildxCommand::Build),
    };
}

// build's options (run's and plan's too): what comes out.
std::vector<OptionSpec> buildOutputOptions()
{
    using O = OptionSpec;
    return {
        O::flag("push", "push the image (shorthand for --output type=registry)")
            .only({"build", "run", "plan"})
            .fromAction("push")
            .into(&Options::build, &BuildOptions::push)
            .toBuildx(BuildxCommand::Build),
        O::flag("load", "load the image into the engine (shorthand for --output type=docker)")
            .only({"build", "run", "plan"})
            .fromAction("load")
            .into(&Options::build, &BuildOptions::load)
            .toBuildx(BuildxCommand::Build),
        O::list("output", "TYPE=…,KEY=VALUE",
                "an output: type=image|registry|docker|oci|local|tar with buildx's attributes")
            .letter('o')
            .only({"build", "run", "plan"})
            .fromAction("outputs")
            .unquoted()
            .into(&Options::build, &BuildOptions::outputs)
            .toBuildx(BuildxCommand::Build),
        O::list("cache-from", "TYPE=…,KEY=VALUE", "a cache to import: registry, local, gha")
            .only({"build", "run", "plan"})
            .fromAction("cache-from")
            .into(&Options::build, &BuildOptions::cacheFrom)
            .toBuildx(BuildxCommand::Build),
        O::list("cache-to", "TYPE=…,KEY=VALUE", "a cache to export: registry, local, inline, gha")
            .only({"build", "run", "plan"})
            .fromAction("cache-to")
            .into(&Options::build, &BuildOptions::cacheTo)
            .toBuildx(BuildxCommand::Build),
        O::list("secret", "id=ID,src=FILE|env=VAR", "a build secret, for RUN --mount=type=secret")
            .only({"build", "run", "plan"})
            .fromAction("secret-envs", true, actionSecret("env"))
            .fromAction("secret-files", false, actionSecret("src"))
            .fromAction("secrets", false, actionSecretValue())
            .untrimmed()
            .into(&Options::build, &BuildOptions::secrets)
            .toBuildx(BuildxCommand::Build),
        O::single("git-token-env", "VARIABLE",
                  "the variable holding a token for git contexts on the CI's own server, given "
                  "to BuildKit as GIT_AUTH_TOKEN.<host> (the actions pass their github-token)")
            .only({"build", "run", "plan"})
            .fromAction("github-token", false,
                        [](const std::string&) { return std::string("INPUT_GITHUB-TOKEN"); })
            .whole()
            .into(&Options::build, &BuildOptions::gitTokenEnv),
        O::single("provenance", "VALUE", "provenance attestation: true, false, or mode=min|max,…")
            .only({"build", "run", "plan"})
            .fromAction("provenance")
            .into(&Options::build, &BuildOptions::provenance)
            .toBuildx(BuildxCommand::Build),
        O::single("sbom", "VALUE", "SBOM attestation: true, false, or generator=IMAGE")
            .only({"build", "run", "plan"})
            .fromAction("sbom")
            .into(&Options::build, &BuildOptions::sbom)
            .toBuildx(BuildxCommand::Build)};
}

// build's options (run's and plan's too): how it runs and what it writes.
std::vector<OptionSpec> buildSettingOptions()
{
    using O = OptionSpec;
    return {
        O::flag("no-cache", "do not use the build cache")
            .only({"build", "run", "plan"})
            .fromAction("no-cache")
            .into(&Options::build, &BuildOptions::noCache)
            .toBuildx(BuildxCommand::Build),
        O::flag("pull", "always look for newer versions of the base images")
            .only({"build", "run", "plan"})
            .fromAction("pull")
            .into(&Options::build, &BuildOptions::pull)
            .toBuildx(BuildxCommand::Build),
        O::list("add-host", "HOST:IP", "an entry for /etc/hosts in RUN steps")
            .only({"build", "run", "plan"})
            .fromAction("add-hosts", true)
            .into(&Options::build, &BuildOptions::addHosts)
            .toBuildx(BuildxCommand::Build),
        O::single("network", "MODE", "the network of RUN steps: default, none or host")
            .only({"build", "run", "plan"})
            .checkedBy(oneOf({"default", "none", "host"}))
            .fromAction("network")
            .into(&Options::build, &BuildOptions::network)
            .toBuildx(BuildxCommand::Build),
        O::list("build-context", "NAME=PATH|docker-image://REF", "an additional named context")
            .only({"build", "run", "plan"})
            .fromAction("build-contexts")
            .into(&Options::build, &BuildOptions::buildContexts)
            .toBuildx(BuildxCommand::Build),
        O::list("annotation", "KEY=VALUE", "an image annotation")
            .only({"build", "run", "plan", "merge"})
            .fromAction("annotations")
            .into(&Options::build, &BuildOptions::annotations)
            .into(&Options::merge, &MergeOptions::annotations)
            .toBuildx(BuildxCommand::Build),
        O::single("metadata-file", "FILE",
                  "write the build result metadata (digest, image name) to FILE; merge: the "
                  "index's descriptor and image names, as imagetools create writes them")
            .only({"build", "run", "plan", "merge"})
            .checkedBy(fileToWrite())
            .onThisMachine()
            .into(&Options::build, &BuildOptions::metadataFile)
            .into(&Options::merge, &MergeOptions::metadataFile)
            .toBuildx(BuildxCommand::Build),
        O::single("iidfile", "FILE", "write the image ID to FILE")
            .only({"build", "run", "plan"})
            .checkedBy(fileToWrite())
            .onThisMachine()
            .into(&Options::build, &BuildOptions::iidFile)
            .toBuildx(BuildxCommand::Build),
        O::single("progress", "MODE",
                  "progress output: auto (tty on a terminal outside a CI job, else plain), plain, "
                  "tty, quiet, none (quiet) or rawjson (BuildKit's status as JSON lines)")
            .only({"build", "run", "plan"})
            .alsoEnv("BUILDKIT_PROGRESS")
            .byDefault("auto")
            .checkedBy(oneOf({"auto", "plain", "tty", "quiet", "none", "rawjson"}))
            .into(&Options::build, &BuildOptions::progress),
        O::flag(
            "source-date-epoch",
            "build reproducibly from the commit time the CI gives: SOURCE_DATE_EPOCH as a build "
            "argument, image timestamps rewritten to it")
            .only({"build", "run", "plan"})
            .into(&Options::build, &BuildOptions::sourceDateEpoch),
        O::flag("ci-defaults",
                "in CI, add what the CI implies when not given: tags from the ref and commit, OCI "
                "source labels, a cache that works there (gha on GitHub, the project registry on "
                "GitLab)")
            .only({"build", "run", "plan"})
            .byDefault("true")
            .fromAction("ci-defaults")
            .into(&Options::build, &BuildOptions::ciDefaults)};
}

// buildx build's options for how RUN steps run and what the build does.
std::vector<OptionSpec> buildxRunOptions()
{
    using O = OptionSpec;
    const std::vector<std::string> builds = {"build", "run", "plan"};
    return {O::list("allow", "ENTITLEMENT",
                    "an entitlement the build may use: network.host, security.insecure, "
                    "device[=NAME]")
                .only(builds)
                .fromAction("allow", true)
                .into(&Options::build, &BuildOptions::allow)
                .toBuildx(BuildxCommand::Build),
            O::list("attest", "type=provenance|sbom,…", "an attestation, as buildx's --attest")
                .only(builds)
                .fromAction("attests")
                .into(&Options::build, &BuildOptions::attests)
                .toBuildx(BuildxCommand::Build),
            O::single("call", "FUNCTION",
                      "what the build does: build, check (the Dockerfile's lint checks), outline "
                      "or targets")
                .only(builds)
                .fromAction("call")
                .into(&Options::build, &BuildOptions::call)
                .toBuildx(BuildxCommand::Build),
            O::flag("check", "shorthand for --call check")
                .only(builds)
                .into(&Options::build, &BuildOptions::check)
                .toBuildx(BuildxCommand::Build),
            O::single("shm-size", "SIZE", "the size of /dev/shm in RUN steps, e.g. 128m")
                .only(builds)
                .fromAction("shm-size")
                .into(&Options::build, &BuildOptions::shmSize)
                .toBuildx(BuildxCommand::Build),
            O::list("ulimit", "TYPE=SOFT[:HARD]", "a ulimit of RUN steps, e.g. nofile=1024:2048")
                .only(builds)
                .fromAction("ulimit")
                .into(&Options::build, &BuildOptions::ulimits)
                .toBuildx(BuildxCommand::Build),
            O::single("cgroup-parent", "PATH", "the parent cgroup of RUN steps")
                .only(builds)
                .fromAction("cgroup-parent")
                .into(&Options::build, &BuildOptions::cgroupParent)
                .toBuildx(BuildxCommand::Build),
            O::list("no-cache-filter", "STAGE", "build this stage without the cache")
                .only(builds)
                .fromAction("no-cache-filters", true)
                .into(&Options::build, &BuildOptions::noCacheFilters)
                .toBuildx(BuildxCommand::Build),
            O::list("ssh", "default|ID[=SOCKET|KEY[,KEY]]",
                    "an ssh agent (SSH_AUTH_SOCK when no path is given) or key files for RUN "
                    "--mount=type=ssh")
                .only(builds)
                .fromAction("ssh", true)
                .into(&Options::build, &BuildOptions::ssh),
            O::flag("quiet", "print nothing but the image ID")
                .letter('q')
                .only(builds)
                .into(&Options::build, &BuildOptions::quiet)
                .toBuildx(BuildxCommand::Build),
            O::list("resource", "KEY=VALUE",
                    "a limit of each RUN step's container: memory=SIZE, memory-swap=SIZE|-1, "
                    "cpu-shares=N, cpu-period=N, cpu-quota=N, cpuset-cpus=LIST or "
                    "cpuset-mems=LIST")
                .only(builds)
                .checkedBy(Resource::check())
                .into(&Options::build, &BuildOptions::resources)
                .toBuildx(BuildxCommand::Build)};
}

// docker build's flags that buildx still takes (hidden from its help), as it takes them.
std::vector<OptionSpec> legacyBuildOptions()
{
    using O = OptionSpec;
    const std::vector<std::string> builds = {"build", "run", "plan"};
    std::vector<OptionSpec> legacy = {
        O::legacyFeeding("memory", "SIZE", "resource", "memory=").letter('m'),
        O::legacyFeeding("memory-swap", "SIZE", "resource", "memory-swap="),
        O::legacyFeeding("cpu-shares", "N", "resource", "cpu-shares=").letter('c'),
        O::legacyFeeding("cpu-period", "N", "resource", "cpu-period="),
        O::legacyFeeding("cpu-quota", "N", "resource", "cpu-quota="),
        O::legacyFeeding("cpuset-cpus", "LIST", "resource", "cpuset-cpus="),
        O::legacyFeeding("cpuset-mems", "LIST", "resource", "cpuset-mems="),
        // Intermediate containers are never left, the context never sent compressed: BuildKit
        // does what these ask anyway.
        O::legacyHonoured("rm"), O::legacyHonoured("force-rm"), O::legacyHonoured("compress"),
        O::legacyRefused("squash", ValueKind::Flag,
                         "is docker build's legacy flag, which BuildKit cannot honour (buildx "
                         "ignores it with a warning): squash in the Dockerfile instead, copying "
                         "the last stage's files into a FROM scratch stage"),
        O::legacyRefused("security-opt", ValueKind::List,
                         "is docker build's legacy flag, which BuildKit cannot honour (buildx "
                         "ignores it with a warning): use RUN --security=insecure with --allow "
                         "security.insecure"),
        O::legacyRefused("isolation", ValueKind::Single,
                         "is docker build's legacy flag for Windows containers, which BuildKit "
                         "cannot honour (buildx ignores it with a warning): remove it")};
    for (auto& o : legacy)
        o.only(builds);
    return legacy;
}

// Images pushed by digest, one per platform, and their merge.
std::vector<OptionSpec> mergeOptions()
{
    using O = OptionSpec;
    return {
        O::single("push-by-digest", "NAME",
                  "push the image by digest only, to the repository NAME (a leg of a "
                  "multi-platform image that hoist merge joins)")
            .only({"build", "run", "plan"})
            .into(&Options::build, &BuildOptions::pushByDigest),
        O::single("digests-dir", "DIR",
                  "build: write NAME@DIGEST of an image pushed by digest to a file per platform "
                  "in DIR; merge: the images to merge are those files")
            .only({"build", "run", "plan", "merge"})
            .fromAction("digests-dir")
            .onThisMachine()
            .into(&Options::build, &BuildOptions::digestsDir)
            .into(&Options::merge, &MergeOptions::digestsDir),
        O::list("insecure-registry", "HOST",
                "a registry hoist itself speaks plain http to (merge, state snapshots; the "
                "builder's own pushes follow its buildkitd config)")
            .only({"merge", "setup", "teardown", "run", "plan"})
            .fromAction("insecure-registries", true)
            .into(&Options::merge, &MergeOptions::insecureRegistries)
            .into(&Options::state, &StateOptions::insecureRegistries),
        O::flag("dry-run", "print the index, push nothing")
            .only({"merge"})
            .into(&Options::merge, &MergeOptions::dryRun)};
}

// The builder's state travelling between engines (docs/state.md).
std::vector<OptionSpec> stateOptions()
{
    using O = OptionSpec;
    return {O::list("state-from", "type=registry,ref=REF|type=local,src=DIR",
                    "fill a new builder's state volume from the first of these that holds a "
                    "snapshot, before BuildKit starts")
                .only({"setup", "run", "plan"})
                .fromAction("state-from")
                .into(&Options::state, &StateOptions::from),
            O::single("state-to", "type=registry,ref=REF|type=local,dest=DIR",
                      "save the builder's state there at teardown (a snapshot the next job's "
                      "state-from reads)")
                .only({"teardown", "run", "plan"})
                .fromAction("state-to")
                .into(&Options::state, &StateOptions::to),
            O::single("state-max-size", "SIZE",
                      "prune the build cache to this size before saving the state (e.g. 2g)")
                .only({"teardown", "run", "plan"})
                .byDefault("2g")
                .fromAction("state-max-size")
                .into(&Options::state, &StateOptions::maxSize)};
}

// Files on this machine and teardown's options.
std::vector<OptionSpec> fileAndTeardownOptions()
{
    using O = OptionSpec;
    return {
        O::single(
            "capture-env", "FILE",
            "write the CI context this run uses (variables, event, arguments; no secrets) to FILE, "
            "to reproduce the build elsewhere with --ci-env")
            .only({"setup", "build", "run", "plan"})
            .checkedBy(fileToWrite())
            .onThisMachine()
            .into(&Options::common, &CommonOptions::captureEnv),
        O::single("ci-env", "FILE",
                  "replay a CI context written by --capture-env: its variables, and with the same "
                  "command its arguments, then these options")
            .only({"setup", "build", "run", "plan"})
            .checkedBy(existingFile())
            .onThisMachine()
            .into(&Options::common, &CommonOptions::ciEnv),
        O::single("result-file", "FILE",
                  "write the result (builder, digest, steps cached, outcome) as JSON to FILE")
            .only({"setup", "build", "run", "plan", "merge"})
            .checkedBy(fileToWrite())
            .onThisMachine()
            .into(&Options::common, &CommonOptions::resultFile),
        O::single("dotenv-file", "FILE",
                  "write HOIST_DIGEST, HOIST_IMAGE_ID, HOIST_TAGS, HOIST_BUILDER_NAME (and a leg's "
                  "HOIST_SOURCE_<PLATFORM>) to FILE, for GitLab's artifacts:reports:dotenv")
            .only({"build", "run", "plan", "merge"})
            .checkedBy(fileToWrite())
            .onThisMachine()
            .into(&Options::build, &BuildOptions::dotenvFile),
        O::flag("keep-state", "keep the state volume (BuildKit's cache) for the next builder")
            .only({"teardown", "run", "plan"})
            .byDefault("true")
            .fromAction("keep-state")
            .into(&Options::teardown, &TeardownOptions::keepState),
        O::flag("keep-daemon", "leave the container running; forget only buildx's store entry")
            .only({"teardown"})
            .into(&Options::teardown, &TeardownOptions::keepDaemon),
        O::flag("force", "remove the builder even when hoist or this job did not make it")
            .only({"teardown"})
            .into(&Options::teardown, &TeardownOptions::force)};
}

} // namespace

OptionTable::OptionTable()
{
    // The command table of docs/architecture.md. A command that is not implemented yet is kept here so
    // that running it says "not supported yet" instead of "unknown command", but help hides it.
    _commands = {
        {"setup", "", "create or reuse the builder, bootstrap it, register QEMU", true},
        {"build", "[CONTEXT]", "build on the current or named builder", true},
        {"teardown", "", "remove the builder, keeping its state volume", true},
        {"run", "[CONTEXT]", "setup, build and teardown in one go", true},
        {"inspect", "", "show the builder's status, BuildKit version and platforms", true},
        {"doctor", "", "check that builds can run here, each finding with a fix", true},
        {"qemu", "",
         "register QEMU emulators on the engine, as docker/setup-qemu-action does (--platform, "
         "default all; --reset), and print the platforms the engine can run",
         true},
        {"merge", "[SOURCE...]",
         "make one multi-platform image of images pushed by digest (one per platform) and push "
         "it to each --tag; a registry client, it needs no engine",
         true},
        {"plan", "[CONTEXT]",
         "show what a run would do and the equivalent buildx commands; takes run's options "
         "and builds nothing (--capture-env still writes its file)",
         true},
        {"version", "", "print hoist's version and build information", true},
        {"help", "[COMMAND]", "show help for hoist or one command", true},
    };

    for (const char* o : BUILD_NOT_YET)
        _notYet.emplace_back("build", o);
    _refusedInputs = refusedInputTable();
    for (auto group :
         {commonOptions(), driverOptions(), setupOptions(), qemuOptions(), buildInputOptions(),
          buildOutputOptions(), buildSettingOptions(), buildxRunOptions(), mergeOptions(),
          stateOptions(), fileAndTeardownOptions(), legacyBuildOptions()})
        _options.insert(_options.end(), group.begin(), group.end());
}

std::vector<std::string> OptionTable::machineFileOptions() const
{
    std::vector<std::string> names;
    for (const auto& o : _options)
    {
        if (o.machineFile)
            names.push_back(o.name);
    }
    return names;
}

const char* OptionTable::replayOption()
{
    return "ci-env";
}

const char* OptionTable::captureOption()
{
    return "capture-env";
}

const std::vector<RefusedInput>& OptionTable::refusedInputs() const
{
    return _refusedInputs;
}

const std::vector<CommandSpec>& OptionTable::commands() const
{
    return _commands;
}

const std::vector<OptionSpec>& OptionTable::options() const
{
    return _options;
}

const CommandSpec* OptionTable::findCommand(const std::string& name) const
{
    for (const auto& c : _commands)
    {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

const OptionSpec* OptionTable::findLong(const std::string& name, const std::string& command) const
{
    // An option's own name wins over another's alias (run's --pull is build's, not setup's).
    const OptionSpec* byAlias = nullptr;
    const OptionSpec* first = nullptr;
    for (const auto& o : _options)
    {
        const bool isAlias = o.name != name;
        if (isAlias && std::find(o.aliases.begin(), o.aliases.end(), name) == o.aliases.end())
            continue;
        if (!command.empty() && o.appliesTo(command))
        {
            if (!isAlias)
                return &o;
            if (!byAlias)
                byAlias = &o;
        }
        if (!first)
            first = &o;
    }
    return byAlias ? byAlias : first;
}

bool OptionTable::notYet(const std::string& command, const std::string& name) const
{
    return std::find(_notYet.begin(), _notYet.end(), std::make_pair(command, name)) !=
           _notYet.end();
}

const OptionSpec* OptionTable::findShort(char c, const std::string& command) const
{
    for (const auto& o : _options)
    {
        if (o.shortName == c && o.appliesTo(command))
            return &o;
    }
    return nullptr;
}

std::vector<std::string> OptionTable::longNamesFor(const std::string& command) const
{
    std::vector<std::string> names;
    for (const auto& o : _options)
    {
        if (!o.appliesTo(command))
            continue;
        names.push_back(o.name);
        names.insert(names.end(), o.aliases.begin(), o.aliases.end());
    }
    return names;
}

} // namespace hoist::cli
