// The build plan, table-driven: each row gives `hoist build` arguments and environment as a
// user would, parses them with the real option table, plans against a fake file view, and
// checks the plan or the problems, worded as the user gave each option.

#include "plan/BuildPlan.h"
#include "fakes/Messages.h"

#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"
#include "fakes/FakeFiles.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <functional>

using namespace hoist;
using buildrun::CacheType;
using buildrun::OutputType;

namespace
{

struct Row
{
    const char* what;
    std::vector<std::string> args; /// after "build"; a context first, else /work/app
    base::Env::Map env;
    std::vector<std::string> problems; /// substrings, each in one problem; empty: none at all
    std::function<void(const plan::BuildPlan&)> check;
};

// A GitHub event of a private repository (CiContext reads the real file).
const char* const PRIVATE_EVENT = "/tmp/hoist-unit-private-event.json";

test::FakeFiles files()
{
    test::FakeFiles f;
    f.dir("/work").dir("/work/app").file("/work/app/Dockerfile", "FROM scratch\n");
    f.dir("/work/assets").file("/work/secret.txt", "s3cr3t").file("/work/other/Dockerfile");
    f.other("/work/fifo")
        .file("/work/app/.dockerignore")
        .file("/work/other/Dockerfile.dockerignore");
    return f;
}

const char* const GITHUB[] = {"GITHUB_ACTIONS=true",
                              "GITHUB_REPOSITORY=octo/demo",
                              "GITHUB_SHA=0123456789abcdef",
                              "GITHUB_REF_NAME=main",
                              "GITHUB_RUN_ID=7",
                              "GITHUB_JOB=build",
                              "GITHUB_SERVER_URL=https://github.com"};

base::Env::Map github(base::Env::Map more = {})
{
    for (const char* kv : GITHUB)
    {
        std::string s = kv;
        more.emplace(s.substr(0, s.find('=')), s.substr(s.find('=') + 1));
    }
    return more;
}

std::vector<std::string> outputTypes(const plan::BuildPlan& p)
{
    std::vector<std::string> t;
    for (const auto& o : p.request.outputs)
        t.push_back(buildrun::typeName(o.type));
    return t;
}

const std::vector<Row>& rows()
{
    using P = const plan::BuildPlan&;
    static const std::vector<Row> table = {
        // context and Dockerfile
        {"context and Dockerfile by default",
         {},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("/work/app"), p.request.contextDir);
             CPPUNIT_ASSERT_EQUAL(std::string("Dockerfile"), p.request.dockerfileName);
             CPPUNIT_ASSERT_EQUAL(std::string("/work/app/.dockerignore"), p.ignoreFile);
         }},
        {"a context that is not a directory",
         {"nope"},
         {},
         {"the build context \"nope\" is not a directory"},
         nullptr},
        {"a git context: BuildKit fetches it and reads the Dockerfile in it",
         {"https://github.com/o/r.git#main:sub", "-f", "docker/Dockerfile"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/o/r.git#main:sub"),
                                  p.request.remoteContext);
             CPPUNIT_ASSERT(p.request.contextDir.empty() && p.request.dockerfileDir.empty());
             CPPUNIT_ASSERT_EQUAL(std::string("docker/Dockerfile"), p.request.dockerfileName);
             CPPUNIT_ASSERT(p.ignoreFile.empty());
         }},
        {"a git context with a Dockerfile on this machine",
         {"git@github.com:o/r.git", "-f", "/work/other/Dockerfile"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("/work/other"), p.request.dockerfileDir);
             CPPUNIT_ASSERT_EQUAL(std::string("Dockerfile"), p.request.dockerfileName);
         }},
        {"contexts that are neither: stdin, another scheme",
         {"docker-image://alpine"},
         {},
         {"is not a directory, a git repository or an https URL"},
         nullptr},
        {"the action without a context builds the repository's git context with its token",
         {},
         github({{"INPUT_GITHUB-TOKEN", "ghs_token"},
                 {"INPUT_BUILD-CONTEXTS", "sub={{defaultContext}}:sub"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("https://github.com/octo/demo.git#0123456789abcdef"),
                                  p.request.remoteContext);
             CPPUNIT_ASSERT_EQUAL(
                 std::string("https://github.com/octo/demo.git#0123456789abcdef:sub"),
                 p.request.namedContexts.at(0).second);
             CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.secrets.size());
             CPPUNIT_ASSERT_EQUAL(std::string("GIT_AUTH_TOKEN.github.com"), p.secrets[0].id);
             CPPUNIT_ASSERT_EQUAL(std::string("INPUT_GITHUB-TOKEN"), p.secrets[0].env);
         }},
        {"a GIT_AUTH_TOKEN secret given: no second one",
         {},
         github({{"INPUT_GITHUB-TOKEN", "ghs_token"}, {"INPUT_SECRETS", "GIT_AUTH_TOKEN=mine"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.secrets.size());
             CPPUNIT_ASSERT_EQUAL(std::string("GIT_AUTH_TOKEN"), p.secrets[0].id);
         }},
        {"{{defaultContext}} outside GitHub",
         {"{{defaultContext}}"},
         {},
         {"the build context \"{{defaultContext}}\": {{defaultContext}} is the repository's git "
          "context on GitHub Actions"},
         nullptr},
        {"a Dockerfile outside the context, its own .dockerignore",
         {"-f", "/work/other/Dockerfile"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("/work/other"), p.request.dockerfileDir);
             CPPUNIT_ASSERT_EQUAL(std::string("/work/other/Dockerfile.dockerignore"), p.ignoreFile);
         }},
        {"a missing Dockerfile given",
         {"-f", "/work/none"},
         {},
         {"no Dockerfile at \"/work/none\""},
         nullptr},
        {"no Dockerfile in the context", {"/work/assets"}, {}, {"(give one with --file)"}, nullptr},
        {"a Dockerfile that is a directory, a fifo, a device",
         {"-f", "/work/assets"},
         {{"HOIST_FILE", "/work/fifo"}},
         {"--file \"/work/assets\" is a directory: name the Dockerfile in it"},
         nullptr},
        {"a Dockerfile that is a fifo, from an action input",
         {},
         {{"INPUT_FILE", "/work/fifo"}},
         {"the action input file \"/work/fifo\" is not a regular file"},
         nullptr},
        // inputs
        {"tags by the reference grammar, every problem at once",
         {"-t", "rel/UPPER", "-t", "x:", "-t", ":latest", "-t", "-oops", "-t",
          "x:" + std::string(200, 'a'), "-t", "x:v1\n", "-t", "ok/app:1"},
         {},
         {"--tag \"rel/UPPER\" is not an image reference: the repository name rel/UPPER has "
          "upper-case letters",
          "--tag \"x:\" is not an image reference: the tag after ':' is empty",
          "--tag \":latest\" is not an image reference: it has no repository name",
          "--tag \"-oops\" is not an image reference", "is not an image reference: the tag aaaa",
          "--tag \"x:v1\\n\" is not an image reference: the tag v1"},
         nullptr},
        {"tags from an action input, a list",
         {},
         {{"INPUT_TAGS", "ok/app:1\nBad/App"}},
         {"the action input tags \"Bad/App\" is not an image reference"},
         nullptr},
        {"an output's name= and a registry cache ref= are references",
         {"-o", "type=image,\"name=ok/a:1,Bad:\"", "--cache-to", "type=registry,ref=up/X"},
         {},
         {"--output name=\"Bad:\" is not an image reference",
          "--cache-to ref=\"up/X\" is not an image reference"},
         nullptr},
        {"platforms buildx refuses: other OSes, unknown variants, too many parts, empty entries",
         {"--platform", "windows/amd64", "--platform", "linux/arm64/v99", "--platform",
          "linux/amd64/v2/extra", "--platform", "linux/amd64,,", "--platform", ","},
         {},
         {"--platform \"windows/amd64\" is not a platform hoist builds",
          "--platform \"linux/arm64/v99\" variant v99 of arm64 does not exist",
          "--platform \"linux/amd64/v2/extra\" is not a platform",
          "--platform \"\" is not a platform: use os/arch[/variant], e.g. linux/arm64, "
          "linux/arm/v7 (in \"linux/amd64,,\")",
          "(in \",\")"},
         nullptr},
        {"platforms normalized and deduplicated as buildx does",
         {"--platform", "linux/x86_64,linux/amd64,linux/arm64/v8,arm"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("linux/amd64,linux/arm64,linux/arm/v7"),
                                  base::join(p.request.platforms, ","));
         }},
        {"target and platforms",
         {"--target", "t", "--platform", "linux/amd64,linux/arm64"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("t"), p.request.target);
             CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.request.platforms.size());
         }},
        {"a platform QEMU cannot emulate, from an action input",
         {},
         {{"INPUT_PLATFORMS", "linux/amd64,linux/bogus"}},
         {"the action input platforms \"linux/bogus\" names no architecture Linux runs on"},
         nullptr},
        {"build args: given, from the environment, and absent",
         {"--build-arg", "A=1", "--build-arg", "B", "--build-arg", "C"},
         {{"B", "2"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.request.buildArgs.size());
             CPPUNIT_ASSERT_EQUAL(std::string("2"), p.request.buildArgs[1].second);
         }},
        {"a label that is not KEY=VALUE",
         {"--label", "x"},
         {},
         {"--label \"x\" is not KEY=VALUE"},
         nullptr},
        {"an annotation from the environment that is not KEY=VALUE",
         {},
         {{"HOIST_ANNOTATION", "=v"}},
         {"HOIST_ANNOTATION \"=v\" is not KEY=VALUE"},
         nullptr},
        {"a tag with a space",
         {"-t", "a b"},
         {},
         {"--tag \"a b\" is not an image reference: the repository name must be"},
         nullptr},
        // outputs
        {"push without a tag",
         {"--push"},
         {},
         {"--push needs at least one --tag to push to"},
         nullptr},
        {"push and load name the tags",
         {"-t", "r/a:1", "--push", "--load"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(outputTypes(p) == std::vector<std::string>({"image", "docker"}));
             CPPUNIT_ASSERT_EQUAL(std::string("true"), p.request.outputs[0].attr("push"));
             CPPUNIT_ASSERT_EQUAL(std::string("r/a:1"), p.request.outputs[1].attr("name"));
         }},
        {"outputs: registry, bare directory, tar",
         {"-t", "r/a", "-o", "type=registry", "-o", "out", "-o", "type=tar,dest=x.tar"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(outputTypes(p) == std::vector<std::string>({"image", "local", "tar"}));
             CPPUNIT_ASSERT_EQUAL(std::string("true"), p.request.outputs[0].attr("push"));
             CPPUNIT_ASSERT_EQUAL(std::string("/work/out"), p.request.outputs[1].hostDest);
             CPPUNIT_ASSERT_EQUAL(std::string("/work/x.tar"), p.request.outputs[2].hostDest);
             CPPUNIT_ASSERT(p.request.outputs[2].attr("dest").empty());
         }},
        {"a local output without dest",
         {"-o", "type=local"},
         {},
         {"--output type=local needs dest=PATH"},
         nullptr},
        {"an output of no type", {"-o", "dest=x,compression=gzip"}, {}, {"needs type=…"}, nullptr},
        {"an output type buildx lacks, from an action input",
         {},
         {{"INPUT_OUTPUTS", "type=s3"}},
         {"the action input outputs type=\"s3\" is not one of image, registry, docker, oci, local, "
          "tar"},
         nullptr},
        {"no output: a warning naming the shorthands",
         {},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.warnings.size());
             CPPUNIT_ASSERT(p.warnings[0].find("--push pushes it, --load loads it") !=
                            std::string::npos);
         }},
        {"annotations go on image outputs",
         {"-t", "r/a", "--push", "--annotation", "k=v"},
         {},
         {},
         [](P p)
         { CPPUNIT_ASSERT_EQUAL(std::string("v"), p.request.outputs[0].attr("annotation.k")); }},
        // caches
        {"caches: registry, local, inline",
         {"--cache-from", "type=registry,ref=r/c", "--cache-from", "type=local,src=c", "--cache-to",
          "type=inline"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.cacheFrom[1].type == CacheType::Local);
             CPPUNIT_ASSERT_EQUAL(std::string("/work/c"), p.request.cacheFrom[1].hostDest);
             CPPUNIT_ASSERT(p.request.cacheTo[0].attr("ignore-error").empty());
         }},
        {"a failed cache export is a warning unless asked",
         {"--cache-to", "type=registry,ref=r/c"},
         {},
         {},
         [](P p)
         { CPPUNIT_ASSERT_EQUAL(std::string("true"), p.request.cacheTo[0].attr("ignore-error")); }},
        {"caches missing their keys",
         {"--cache-from", "type=registry", "--cache-to", "type=local"},
         {},
         {"--cache-from type=registry needs ref=IMAGE", "--cache-to type=local needs dest=DIR"},
         nullptr},
        {"a cache type not supported",
         {"--cache-from", "type=redis,addr=x"},
         {},
         {"--cache-from type=\"redis\" is not supported yet"},
         nullptr},
        {"s3 and azblob pass through, buildx's registry shorthand",
         {"--cache-from", "type=s3,bucket=b,region=r", "--cache-to",
          "type=azblob,account_url=https://a.blob,name=n", "--cache-from", "reg.io/app:cache"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.cacheFrom.at(0).type == CacheType::S3);
             CPPUNIT_ASSERT_EQUAL(std::string("b"), p.request.cacheFrom.at(0).attr("bucket"));
             CPPUNIT_ASSERT(p.request.cacheTo.at(0).type == CacheType::Azblob);
             CPPUNIT_ASSERT(p.request.cacheFrom.at(1).type == CacheType::Registry);
             CPPUNIT_ASSERT_EQUAL(std::string("reg.io/app:cache"),
                                  p.request.cacheFrom.at(1).attr("ref"));
         }},
        {"cloud credentials as cache attributes would reach argv",
         {"--cache-to", "type=s3,bucket=b,secret_access_key=k"},
         {},
         {"--cache-to type=s3 secret_access_key=… is not supported yet"},
         nullptr},
        {"a gha cache without the runner's token is skipped",
         {"--cache-to", "type=gha"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.cacheTo.empty());
             CPPUNIT_ASSERT(base::join(p.warnings, "\n").find("--cache-to type=gha skipped") !=
                            std::string::npos);
         }},
        {"a gha cache gets the runner's endpoints; its token stays out of the attributes",
         {"--cache-to", "type=gha,token=t1"},
         github(
             {{"ACTIONS_RESULTS_URL", "https://results/"}, {"ACTIONS_CACHE_SERVICE_V2", "true"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("t1"), p.request.ghaToken);
             CPPUNIT_ASSERT(p.request.cacheTo[0].attr("token").empty());
             CPPUNIT_ASSERT_EQUAL(std::string("https://results/"),
                                  p.request.cacheTo[0].attr("url_v2"));
         }},
        // CI defaults
        {"on GitHub: tags from the ref and commit, source labels, the gha cache",
         {"--push", "--platform", "linux/amd64,linux/arm64"},
         github({{"ACTIONS_RUNTIME_TOKEN", "tok"}, {"ACTIONS_CACHE_URL", "https://cache/"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(
                 p.request.tags ==
                 std::vector<std::string>({"ghcr.io/octo/demo:main", "ghcr.io/octo/demo:0123456"}));
             CPPUNIT_ASSERT_EQUAL(std::string("org.opencontainers.image.source"),
                                  p.request.labels.at(0).first);
             CPPUNIT_ASSERT(p.request.cacheFrom.at(0).type == CacheType::Gha);
             CPPUNIT_ASSERT_EQUAL(std::string("octo/demo/build"),
                                  p.request.cacheFrom.at(0).attr("scope"));
             CPPUNIT_ASSERT_EQUAL(std::string("max"), p.request.cacheTo.at(0).attr("mode"));
         }},
        {"CI defaults off",
         {"--push", "-t", "r/a", "--ci-defaults=false"},
         github(),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.labels.empty());
             CPPUNIT_ASSERT(p.ciDefaults.empty());
         }},
        {"on GitLab: the project registry's cache",
         {"-t", "r/a"},
         {{"GITLAB_CI", "true"},
          {"CI_REGISTRY", "reg"},
          {"CI_REGISTRY_USER", "u"},
          {"CI_REGISTRY_PASSWORD", "p"},
          {"CI_REGISTRY_IMAGE", "reg/g/p"},
          {"CI_COMMIT_REF_NAME", "main"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("reg/g/p/cache:main"),
                                  p.request.cacheFrom.at(0).attr("ref"));
         }},
        {"a build argument without a name is refused, as buildx does",
         {"--build-arg", "=x", "--build-arg", "A=1"},
         {},
         {"--build-arg \"=x\" has no name before '='"},
         nullptr},
        {"SOURCE_DATE_EPOCH without a commit time",
         {"--source-date-epoch"},
         {},
         {"--source-date-epoch: the CI gives no commit time here; pass one with --build-arg "
          "SOURCE_DATE_EPOCH=SECONDS"},
         nullptr},
        {"SOURCE_DATE_EPOCH from the commit time rewrites image timestamps",
         {"--source-date-epoch", "-t", "r/a", "--push"},
         {{"GITLAB_CI", "true"}, {"CI_COMMIT_TIMESTAMP", "2026-01-02T03:04:05+00:00"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("SOURCE_DATE_EPOCH"),
                                  p.request.buildArgs.back().first);
             CPPUNIT_ASSERT_EQUAL(std::string("1767323045"), p.request.buildArgs.back().second);
             CPPUNIT_ASSERT_EQUAL(std::string("true"),
                                  p.request.outputs[0].attr("rewrite-timestamp"));
         }},
        // secrets
        {"secrets: a variable, a file, buildctl's default by id",
         {"--secret", "id=a,env=A", "--secret", "id=b,src=/work/secret.txt", "--secret", "id=C"},
         {{"A", "x"}, {"C", "y"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(3), p.secrets.size());
             CPPUNIT_ASSERT_EQUAL(std::string("/work/secret.txt"), p.secrets[1].file);
             CPPUNIT_ASSERT_EQUAL(std::string("C"), p.secrets[2].env);
         }},
        {"secrets that cannot be found",
         {"--secret", "id=a,env=UNSET", "--secret", "id=b,src=/none", "--secret",
          "src=/work/secret.txt"},
         {},
         {"--secret id=a: the variable UNSET is not set", "--secret id=b: no file \"/none\"",
          "needs id=ID"},
         nullptr},
        {"the action's secrets input: ids only, the values stay in the input",
         {},
         {{"INPUT_SECRETS", "GIT_AUTH_TOKEN=abc\n\"CERT=a\nb\""}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.secrets.size());
             CPPUNIT_ASSERT(p.secrets[0].fromInput && p.secrets[0].id == "GIT_AUTH_TOKEN");
             CPPUNIT_ASSERT_EQUAL(std::string("CERT"), p.secrets[1].id);
         }},
        {"input= is no --secret attribute",
         {"--secret", "id=x,input=secrets"},
         {},
         {"--secret \"id=x,input=secrets\": input= is not an attribute of --secret"},
         nullptr},
        {"an action's secret-envs input",
         {},
         {{"INPUT_SECRET-ENVS", "tok=TOKEN"}},
         {"the action input secret-envs id=tok: the variable TOKEN is not set"},
         nullptr},
        // attestations
        {"provenance by default: buildx's, min and inline only",
         {},
         {},
         {},
         [](P p) {
             CPPUNIT_ASSERT_EQUAL(std::string("mode=min,inline-only=true"), *p.request.provenance);
         }},
        {"provenance by default on GitHub: build-push-action's max for a public repository, the "
         "run attempt as builder id",
         {},
         github({{"GITHUB_RUN_ATTEMPT", "2"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("mode=max,builder-id=https://github.com/octo/demo/"
                                              "actions/runs/7/attempts/2"),
                                  *p.request.provenance);
         }},
        {"provenance by default on GitHub, private repository: min and inline only",
         {},
         github({{"GITHUB_EVENT_PATH", PRIVATE_EVENT}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("mode=min,inline-only=true,builder-id=https://"
                                              "github.com/octo/demo/actions/runs/7/attempts/1"),
                                  *p.request.provenance);
         }},
        {"provenance by default on GitHub when loading: buildx's (the action adds none)",
         {"--load"},
         github(),
         {},
         [](P p) {
             CPPUNIT_ASSERT_EQUAL(std::string("mode=min,inline-only=true"), *p.request.provenance);
         }},
        {"no default attestations when buildx is told so",
         {},
         github({{"BUILDX_NO_DEFAULT_ATTESTATIONS", "1"}}),
         {},
         [](P p) { CPPUNIT_ASSERT(!p.request.provenance && !p.request.sbom); }},
        {"provenance true is BuildKit's default mode; sbom true",
         {"--provenance", "true", "--sbom", "true"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string(""), *p.request.provenance);
             CPPUNIT_ASSERT_EQUAL(std::string(""), *p.request.sbom);
         }},
        {"provenance true on GitHub: the builder id only, as build-push-action",
         {},
         github({{"INPUT_PROVENANCE", "true"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(
                 std::string("builder-id=https://github.com/octo/demo/actions/runs/7/attempts/1"),
                 *p.request.provenance);
         }},
        {"provenance and sbom off",
         {"--provenance", "false", "--sbom", "false"},
         {},
         {},
         [](P p) { CPPUNIT_ASSERT(!p.request.provenance && !p.request.sbom); }},
        {"--attest for both, the action's attests input",
         {},
         {{"INPUT_ATTESTS", "type=provenance,mode=max\ntype=sbom,generator=img/scan"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("mode=max"), *p.request.provenance);
             CPPUNIT_ASSERT_EQUAL(std::string("generator=img/scan"), *p.request.sbom);
         }},
        {"--attest disabled, twice, unknown, with --provenance",
         {"--attest", "type=provenance,disabled=true", "--attest", "type=sbom", "--attest",
          "type=sbom", "--attest", "type=vex", "--provenance", "mode=max"},
         {{"BUILDX_NO_DEFAULT_ATTESTATIONS", "maybe"}},
         {"--attest type=sbom is given twice", "--attest \"type=vex\" has an unknown type",
          "--provenance and --attest type=… both set it: give one"},
         nullptr},
        {"a bad BUILDX_NO_DEFAULT_ATTESTATIONS",
         {},
         {{"BUILDX_NO_DEFAULT_ATTESTATIONS", "maybe"}},
         {"BUILDX_NO_DEFAULT_ATTESTATIONS=\"maybe\" is not true or false"},
         nullptr},
        // settings
        {"no-cache, pull, network host, add-host, contexts, files",
         {"--no-cache", "--pull", "--network", "host", "--add-host", "db:10.0.0.2",
          "--build-context", "a=/work/assets", "--build-context", "b=docker-image://alpine",
          "--metadata-file", "/work/m.json", "--iidfile", "/work/id"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.noCache && p.request.pull);
             CPPUNIT_ASSERT_EQUAL(std::string("host"), p.request.network);
             CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.2"), p.request.addHosts.at(0).second);
             CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.request.namedContexts.size());
             CPPUNIT_ASSERT_EQUAL(std::string("/work/m.json"), p.request.metadataFile);
         }},
        {"network default is BuildKit's",
         {"--network", "default"},
         {},
         {},
         [](P p) { CPPUNIT_ASSERT(p.request.network.empty()); }},
        {"an add-host that is not HOST:IP, a context that is not there",
         {"--add-host", "db", "--build-context", "a=/none"},
         {},
         {"--add-host \"db\" is not HOST:IP", "--build-context a: no directory \"/none\""},
         nullptr},
        {"annotations with buildx's types and platforms, on the image outputs",
         {"--annotation", "plain=1", "--annotation", "index:org.opencontainers.image.title=T",
          "--annotation", "manifest,index-descriptor:k=v", "--annotation",
          "manifest[linux/aarch64]:arch=arm", "--annotation", "index[linux/amd64]:dropped=1",
          "--push", "-t", "r/a:1"},
         {},
         {},
         [](P p)
         {
             std::vector<std::string> keys;
             for (const auto& [k, v] : p.request.outputs.at(0).attrs)
                 if (base::startsWith(k, "annotation"))
                     keys.push_back(k);
             CPPUNIT_ASSERT_EQUAL(
                 std::string("annotation.plain,annotation-index.org.opencontainers."
                             "image.title,annotation-manifest.k,annotation-index-"
                             "descriptor.k,annotation-manifest[linux/arm64].arch,"
                             "annotation-index.dropped"),
                 base::join(keys, ","));
         }},
        {"annotations of unknown types and platforms",
         {"--annotation", "layer:k=v", "--annotation", "manifest[windows/amd64]:k=v"},
         {},
         {"--annotation \"layer:k=v\" has an unknown type \"layer\"",
          "--annotation \"manifest[windows/amd64]:k=v\" names the platform \"windows/amd64\""},
         nullptr},
        // how RUN steps run, what the build does
        {"buildx's run options",
         {"--allow",
          "security.insecure",
          "--allow",
          "network.host",
          "--shm-size",
          "128m",
          "--ulimit",
          "nofile=1024:2048",
          "--ulimit",
          "nproc=512",
          "--cgroup-parent",
          "/ci",
          "--no-cache-filter",
          "deps",
          "--no-cache-filter",
          "test",
          "-o",
          "type=cacheonly",
          "-m",
          "1g",
          "--resource",
          "memory-swap=-1",
          "--resource",
          "cpu-quota=0",
          "--cpuset-cpus",
          "0-1",
          "--resource",
          "memory=2g"},
         {},
         {},
         [](P p)
         {
             // As buildx sends them: bytes, the last memory given, no zero limits.
             const std::map<std::string, std::string> limits = {
                 {"memory", "2147483648"}, {"memswap", "-1"}, {"cpusetcpus", "0-1"}};
             CPPUNIT_ASSERT(limits == p.request.resources);
             CPPUNIT_ASSERT_EQUAL(std::string("security.insecure,network.host"),
                                  base::join(p.request.allow, ","));
             CPPUNIT_ASSERT_EQUAL(128LL * 1024 * 1024, p.request.shmSize);
             CPPUNIT_ASSERT_EQUAL(std::string("nofile=1024:2048,nproc=512:512"),
                                  base::join(p.request.ulimits, ","));
             CPPUNIT_ASSERT_EQUAL(std::string("/ci"), p.request.cgroupParent);
             CPPUNIT_ASSERT_EQUAL(std::string("deps,test"),
                                  base::join(p.request.noCacheFilter, ","));
             CPPUNIT_ASSERT(p.request.outputs.empty() && p.warnings.empty());
         }},
        {"bad run options, from the action's inputs",
         {},
         {{"INPUT_ALLOW", "network.host,sudo"},
          {"INPUT_SHM-SIZE", "lots"},
          {"INPUT_ULIMIT", "nofile=9:1\nfiles=1\nnofile"},
          {"INPUT_CALL", "explode"},
          {"HOIST_RESOURCE", "gpus=1\nmemory=lots\ncpu-shares=half"}},
         {"the action input allow \"sudo\" is not an entitlement",
          "the action input shm-size \"lots\" is not a size",
          "the action input ulimit \"nofile=9:1\" has a soft limit above its hard limit",
          "the action input ulimit \"files=1\" names no ulimit",
          "the action input ulimit \"nofile\" is not TYPE=SOFT[:HARD]",
          "the action input call \"explode\" is not supported yet",
          "HOIST_RESOURCE=\"gpus=1\" names no resource",
          "HOIST_RESOURCE=\"memory=lots\" is not a size",
          "HOIST_RESOURCE=\"cpu-shares=half\" must give a whole number"},
         nullptr},
        {"--check is --call check, and exports nothing",
         {"--check", "--push", "-t", "r/a:1"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("lint"), p.request.call);
             CPPUNIT_ASSERT(p.request.outputs.empty());
         }},
        {"--no-cache and --no-cache-filter, --check and another --call",
         {"--no-cache", "--no-cache-filter", "a", "--check", "--call", "outline"},
         {},
         {"--no-cache and --no-cache-filter exclude each other",
          "--check and --call \"outline\" exclude each other"},
         nullptr},
        {"a leg pushed by digest: buildx's output, no CI tags, a cache of its own platform",
         {"--push-by-digest", "ghcr.io/octo/demo", "--platform", "linux/arm/v7", "--digests-dir",
          "/work/digests"},
         github({{"ACTIONS_RUNTIME_TOKEN", "tok"}, {"ACTIONS_CACHE_URL", "https://cache/"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::size_t(1), p.request.outputs.size());
             const buildrun::Output& o = p.request.outputs[0];
             CPPUNIT_ASSERT_EQUAL(std::string("image"), std::string(buildrun::typeName(o.type)));
             CPPUNIT_ASSERT_EQUAL(std::string("ghcr.io/octo/demo"), o.attr("name"));
             CPPUNIT_ASSERT_EQUAL(std::string("true"), o.attr("push-by-digest"));
             CPPUNIT_ASSERT_EQUAL(std::string("true"), o.attr("name-canonical"));
             CPPUNIT_ASSERT_EQUAL(std::string("true"), o.attr("push"));
             CPPUNIT_ASSERT(p.request.tags.empty());
             CPPUNIT_ASSERT_EQUAL(std::string("ghcr.io/octo/demo"), p.request.byDigest);
             CPPUNIT_ASSERT_EQUAL(std::string("/work/digests"), p.request.digestsDir);
             CPPUNIT_ASSERT_EQUAL(std::string("octo/demo/build-linux-arm-v7"),
                                  p.request.cacheFrom.at(0).attr("scope"));
         }},
        {"buildx's push-by-digest output is a leg too",
         {"-o", "type=image,name=r.io/a:ignored,push-by-digest=true,push=true", "--platform",
          "linux/amd64"},
         github({{"ACTIONS_RUNTIME_TOKEN", "tok"}, {"ACTIONS_CACHE_URL", "https://cache/"}}),
         {},
         [](P p)
         {
             CPPUNIT_ASSERT_EQUAL(std::string("r.io/a"), p.request.byDigest);
             CPPUNIT_ASSERT(p.request.tags.empty());
             CPPUNIT_ASSERT_EQUAL(std::string("octo/demo/build-linux-amd64"),
                                  p.request.cacheFrom.at(0).attr("scope"));
         }},
        {"--digests-dir without an image pushed by digest; a bad repository",
         {"--push", "-t", "r.io/a:1", "--digests-dir", "/work/d", "--push-by-digest", "Bad/Name"},
         {},
         {"--push-by-digest \"Bad/Name\" is not an image reference: the repository name Name has "
          "upper-case letters"},
         nullptr},
        {"--digests-dir needs the leg's platform, and a directory",
         {"--push-by-digest", "r.io/a", "--digests-dir", "/work/secret.txt"},
         {},
         {"--digests-dir names each leg's file for its platform: give --platform"},
         nullptr},
        {"--digests-dir naming a file",
         {"--push-by-digest", "r.io/a", "--platform", "linux/amd64", "--digests-dir",
          "/work/secret.txt"},
         {},
         {"--digests-dir \"/work/secret.txt\" is not a directory"},
         nullptr},
        {"an output pushed by digest that does not push is no leg",
         {"-o", "type=image,name=r.io/a,push-by-digest=true", "--platform", "linux/amd64",
          "--digests-dir", "/work/d"},
         {},
         {"--digests-dir records an image pushed by digest, and this build pushes none"},
         nullptr},
        {"--digests-dir with nothing pushed by digest",
         {"--push", "-t", "r.io/a:1", "--digests-dir", "/work/d"},
         {},
         {"--digests-dir records an image pushed by digest, and this build pushes none: add "
          "--push-by-digest NAME"},
         nullptr},
        {"GitLab's tags as its Docker template makes them: the git tag on a tag pipeline",
         {"--push"},
         {{"GITLAB_CI", "true"},
          {"CI_REGISTRY_IMAGE", "r.example/g/app"},
          {"CI_COMMIT_REF_SLUG", "v1-2-3"},
          {"CI_COMMIT_REF_NAME", "v1.2.3"},
          {"CI_COMMIT_TAG", "v1.2.3"},
          {"CI_COMMIT_SHA", "0123456789abcdef"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(
                 p.request.tags ==
                 (std::vector<std::string>{"r.example/g/app:v1.2.3", "r.example/g/app:0123456"}));
         }},
        {"GitLab's tags: latest on the default branch",
         {"--push"},
         {{"GITLAB_CI", "true"},
          {"CI_REGISTRY_IMAGE", "r.example/g/app"},
          {"CI_COMMIT_REF_SLUG", "main"},
          {"CI_COMMIT_BRANCH", "main"},
          {"CI_DEFAULT_BRANCH", "main"},
          {"CI_COMMIT_SHA", "0123456789abcdef"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(
                 p.request.tags ==
                 (std::vector<std::string>{"r.example/g/app:latest", "r.example/g/app:0123456"}));
         }},
        {"SOURCE_DATE_EPOCH from the environment is the build argument, as buildx makes it",
         {},
         {{"SOURCE_DATE_EPOCH", "1700000000"}, {"BUILDX_METADATA_WARNINGS", "1"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.buildArgs ==
                            (std::vector<std::pair<std::string, std::string>>{
                                {"SOURCE_DATE_EPOCH", "1700000000"}}));
             CPPUNIT_ASSERT(p.request.metadataWarnings);
         }},
        {"a SOURCE_DATE_EPOCH build argument wins over the environment's",
         {"--build-arg", "SOURCE_DATE_EPOCH=5"},
         {{"SOURCE_DATE_EPOCH", "1700000000"}},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(
                 p.request.buildArgs ==
                 (std::vector<std::pair<std::string, std::string>>{{"SOURCE_DATE_EPOCH", "5"}}));
             CPPUNIT_ASSERT(!p.request.metadataWarnings);
         }},
        {"buildx's variables that are not booleans, and one hoist cannot honour",
         {},
         {{"BUILDX_METADATA_WARNINGS", "sometimes"}, {"BUILDX_SEND_GIT_QUERY_AS_INPUT", "true"}},
         {"BUILDX_METADATA_WARNINGS=\"sometimes\" is not true or false",
          "BUILDX_SEND_GIT_QUERY_AS_INPUT=true: not supported yet by hoist"},
         nullptr},
        {"registries the build talks to",
         {"-t", "reg.example:5000/a:1", "--cache-from", "type=registry,ref=other.io/c"},
         {},
         {},
         [](P p)
         {
             CPPUNIT_ASSERT(p.request.registryHosts ==
                            std::vector<std::string>({"reg.example:5000", "other.io"}));
         }},
    };
    return table;
}

} // namespace

class BuildPlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(BuildPlanTest);
    CPPUNIT_TEST(testTable);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTable()
    {
        std::ofstream(PRIVATE_EVENT)
            << R"({"repository": {"full_name": "octo/demo", "private": true}})";
        for (const auto& row : rows())
        {
            base::Env env(row.env);
            std::vector<std::string> args = {"build"};
            args.insert(args.end(), row.args.begin(), row.args.end());
            // A row that gives a context gives it first; the action's rows (a github-token
            // input) let the action choose.
            if ((row.args.empty() || row.args.front()[0] == '-') &&
                !row.env.count("INPUT_GITHUB-TOKEN"))
                args.push_back("/work/app");
            hoist::base::Problems problems;
            cli::ParsedCommand parsed =
                cli::OptionParser(cli::OptionTable::instance(), env).parse(args, problems);
            const cli::Options options = cli::Options::from(parsed);
            plan::BuildPlan p =
                plan::planBuild(options.build, ci::CiContext::detect(env), env, files(), problems);
            const std::string all = base::join(hoist::test::messages(problems), "\n");
            if (row.problems.empty())
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": unexpected problems: " + all,
                                       problems.empty());
            for (const auto& want : row.problems)
                CPPUNIT_ASSERT_MESSAGE(std::string(row.what) + ": want '" + want + "' in: " + all,
                                       all.find(want) != std::string::npos);
            if (row.check)
                row.check(p);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BuildPlanTest);
