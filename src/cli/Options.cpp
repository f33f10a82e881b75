// This file implements the typed view of a parsed command: the one place, with the option
// table, that spells option names.

#include "cli/Options.h"

#include "base/Duration.h"

namespace hoist::cli
{

namespace
{

Source sourceOf(const ParsedCommand& p, const std::string& option)
{
    return {p.origin(option), p.givenAs(option), "--" + option};
}

Text text(const ParsedCommand& p, const std::string& option)
{
    return {p.get(option), sourceOf(p, option)};
}

Texts texts(const ParsedCommand& p, const std::string& option)
{
    return {p.getList(option), sourceOf(p, option)};
}

Flag flag(const ParsedCommand& p, const std::string& option)
{
    return {p.getBool(option), sourceOf(p, option)};
}

// The option table validated the text; a value it lacks (an option of another command) is 0.
Duration duration(const ParsedCommand& p, const std::string& option)
{
    auto d = base::parseDuration(p.get(option));
    return {d ? *d : Poco::Timespan(), sourceOf(p, option)};
}

Given<ImagePull> imagePull(const ParsedCommand& p)
{
    const std::string v = p.get("image-pull");
    return {v == "always"  ? ImagePull::Always
            : v == "never" ? ImagePull::Never
                           : ImagePull::Missing,
            sourceOf(p, "image-pull")};
}

Given<QemuMode> qemu(const ParsedCommand& p)
{
    const std::string v = p.get("qemu");
    return {v == "image"  ? QemuMode::Image
            : v == "host" ? QemuMode::Host
            : v == "off"  ? QemuMode::Off
                          : QemuMode::Auto,
            sourceOf(p, "qemu")};
}

CommonOptions readCommon(const ParsedCommand& p)
{
    CommonOptions c;
    c.builder = text(p, "builder");
    c.logLevel = text(p, "log-level");
    c.engineConnectTimeout = duration(p, "engine-connect-timeout");
    c.engineIdleTimeout = duration(p, "engine-idle-timeout");
    c.json = flag(p, "json");
    c.captureEnv = text(p, "capture-env");
    c.ciEnv = text(p, "ci-env");
    c.resultFile = text(p, "result-file");
    c.ciLeg = text(p, "ci-leg");
    return c;
}

SetupOptions readSetup(const ParsedCommand& p)
{
    SetupOptions s;
    s.driverOpts = texts(p, "driver-opt");
    s.buildkitdFlags = text(p, "buildkitd-flags");
    s.buildkitdConfig = text(p, "buildkitd-config");
    s.buildkitdConfigInline = text(p, "buildkitd-config-inline");
    s.imagePull = imagePull(p);
    s.bootstrapTimeout = duration(p, "bootstrap-timeout");
    s.platforms = texts(p, "platform");
    s.qemu = qemu(p);
    s.qemuImage = text(p, "qemu-image");
    s.use = flag(p, "use");
    return s;
}

BuildOptions readBuild(const ParsedCommand& p)
{
    BuildOptions b;
    b.context = {
        p.positionals().empty() ? "." : p.positionals().front(),
        {p.positionals().empty() ? Origin::Default : Origin::Flag, "the build context", "CONTEXT"}};
    b.file = text(p, "file");
    b.target = text(p, "target");
    b.platforms = texts(p, "platform");
    b.buildArgs = texts(p, "build-arg");
    b.labels = texts(p, "label");
    b.tags = texts(p, "tag");
    b.push = flag(p, "push");
    b.load = flag(p, "load");
    b.outputs = texts(p, "output");
    b.cacheFrom = texts(p, "cache-from");
    b.cacheTo = texts(p, "cache-to");
    b.secrets = texts(p, "secret");
    b.provenance = text(p, "provenance");
    b.sbom = text(p, "sbom");
    b.noCache = flag(p, "no-cache");
    b.pull = flag(p, "pull");
    b.addHosts = texts(p, "add-host");
    b.network = text(p, "network");
    b.buildContexts = texts(p, "build-context");
    b.annotations = texts(p, "annotation");
    b.metadataFile = text(p, "metadata-file");
    b.iidFile = text(p, "iidfile");
    b.progress = text(p, "progress");
    b.sourceDateEpoch = flag(p, "source-date-epoch");
    b.ciDefaults = flag(p, "ci-defaults");
    b.dotenvFile = text(p, "dotenv-file");
    b.allow = texts(p, "allow");
    b.attests = texts(p, "attest");
    b.call = text(p, "call");
    b.check = flag(p, "check");
    b.shmSize = text(p, "shm-size");
    b.ulimits = texts(p, "ulimit");
    b.cgroupParent = text(p, "cgroup-parent");
    b.noCacheFilters = texts(p, "no-cache-filter");
    b.quiet = flag(p, "quiet");
    b.gitTokenEnv = text(p, "git-token-env");
    b.ssh = texts(p, "ssh");
    b.pushByDigest = text(p, "push-by-digest");
    b.digestsDir = text(p, "digests-dir");
    return b;
}

} // namespace

Options Options::from(const ParsedCommand& parsed)
{
    Options o;
    o.command = parsed.command();
    o.positionals = parsed.positionals();
    o.common = readCommon(parsed);
    o.setup = readSetup(parsed);
    o.build = readBuild(parsed);
    o.teardown = {flag(parsed, "keep-state"), flag(parsed, "keep-daemon"), flag(parsed, "force")};
    o.merge.sources = {parsed.positionals(), {Origin::Flag, "SOURCE", "SOURCE"}};
    o.merge.tags = texts(parsed, "tag");
    o.merge.annotations = texts(parsed, "annotation");
    o.merge.digestsDir = text(parsed, "digests-dir");
    o.merge.insecureRegistries = texts(parsed, "insecure-registry");
    o.merge.dryRun = flag(parsed, "dry-run");
    o.state = {texts(parsed, "state-from"), text(parsed, "state-to"),
               text(parsed, "state-max-size"), texts(parsed, "insecure-registry")};
    o.values = parsed.values();
    o.warnings = parsed.warnings();
    return o;
}

} // namespace hoist::cli
