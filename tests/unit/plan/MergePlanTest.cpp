// The merge plan: merge's arguments and environment as a user gives them, parsed with the real
// option table.

#include "plan/MergePlan.h"
#include "fakes/Messages.h"

#include "base/Strings.h"
#include "cli/OptionParser.h"
#include "cli/OptionTable.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace hoist;

namespace
{

const std::string DIGEST = "sha256:" + std::string(64, 'a');

plan::MergePlan merge(const std::vector<std::string>& args, hoist::base::Problems& problems,
                      const std::vector<std::string>& fromDirectory = {}, base::Env::Map env = {})
{
    std::vector<std::string> argv = {"merge"};
    argv.insert(argv.end(), args.begin(), args.end());
    base::Env e(env);
    const cli::Options o = cli::Options::from(
        cli::OptionParser(cli::OptionTable::instance(), e).parse(argv, problems));
    std::vector<std::string> sources = o.merge.sources.value;
    sources.insert(sources.end(), fromDirectory.begin(), fromDirectory.end());
    return plan::planMerge(o.merge, sources, problems);
}

} // namespace

class MergePlanTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(MergePlanTest);
    CPPUNIT_TEST(testSourcesTagsAndIndexAnnotations);
    CPPUNIT_TEST(testEveryProblemAtOnce);
    CPPUNIT_TEST(testTheMergeActionsInputs);
    CPPUNIT_TEST(testDescriptorAnnotationsPlatformsAndMetadata);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSourcesTagsAndIndexAnnotations()
    {
        hoist::base::Problems problems;
        const plan::MergePlan p =
            merge({"--tag", "r.io/a:1", "--annotation", "index:org.opencontainers.image.title=x",
                   "--annotation", "k=v=w", "r.io/a@" + DIGEST},
                  problems, {"r.io/a@" + DIGEST});
        CPPUNIT_ASSERT_EQUAL(std::string(), base::join(hoist::test::messages(problems), "\n"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.sources.size());
        CPPUNIT_ASSERT_EQUAL(std::string("x"), p.annotations.at("org.opencontainers.image.title"));
        CPPUNIT_ASSERT_EQUAL(std::string("v=w"), p.annotations.at("k"));
        // --dry-run needs no tag.
        merge({"--dry-run", "r.io/a@" + DIGEST}, problems);
        CPPUNIT_ASSERT(problems.empty());
    }

    void testEveryProblemAtOnce()
    {
        hoist::base::Problems problems;
        merge({"--tag", "r.io/a@" + DIGEST, "--tag", "x/UPPER:1", "--annotation", "manifest:k=v",
               "--annotation", "novalue", "Bad/Source@" + DIGEST},
              problems);
        const std::string all = base::join(hoist::test::messages(problems), "\n");
        for (const char* want :
             {"--tag \"r.io/a@sha256:", "names a digest: give a tag to push to",
              "--tag \"x/UPPER:1\" is not an image reference",
              "--annotation \"manifest:k=v\": a manifest: annotation belongs on each platform's "
              "image, which a merge does not rewrite",
              "DOCKER_METADATA_ANNOTATIONS_LEVELS=index",
              "--annotation \"novalue\" is not KEY=VALUE", "the source \"Bad/Source@sha256:"})
            CPPUNIT_ASSERT_MESSAGE(std::string(want) + " in: " + all,
                                   all.find(want) != std::string::npos);
        problems.clear();
        merge({}, problems);
        CPPUNIT_ASSERT_EQUAL(std::string("give the images to merge: SOURCE arguments "
                                         "(NAME@DIGEST) or --digests-dir DIR\n"
                                         "give at least one --tag to push the image to"),
                             base::join(hoist::test::messages(problems), "\n"));
    }

    void testTheMergeActionsInputs()
    {
        hoist::base::Problems problems;
        const plan::MergePlan p =
            merge({}, problems, {},
                  {{"GITHUB_ACTIONS", "true"},
                   {"INPUT_SOURCES", "r.io/a@" + DIGEST + "\nr.io/b@" + DIGEST},
                   {"INPUT_TAGS", "r.io/a:1"},
                   {"INPUT_ANNOTATIONS", "bad:k=v"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), p.sources.size());
        CPPUNIT_ASSERT_EQUAL(std::string("the action input annotations \"bad:k=v\" has an unknown "
                                         "type \"bad\": index, index-descriptor, manifest or "
                                         "manifest-descriptor, e.g. index:KEY=VALUE or "
                                         "manifest[linux/arm64]:KEY=VALUE"),
                             base::join(hoist::test::messages(problems), "\n"));
    }

    void testDescriptorAnnotationsPlatformsAndMetadata()
    {
        hoist::base::Problems problems;
        const plan::MergePlan p =
            merge({"--tag", "r.io/a:1", "--annotation", "manifest-descriptor:a=1", "--annotation",
                   "manifest-descriptor[linux/arm64/v8],index:b=2", "--platform",
                   "linux/arm64/v8,linux/amd64", "--metadata-file", "/tmp/merge-meta.json",
                   "r.io/a@" + DIGEST},
                  problems);
        CPPUNIT_ASSERT_EQUAL(std::string(), base::join(hoist::test::messages(problems), "\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), p.descriptorAnnotations.at("").at("a"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), p.descriptorAnnotations.at("linux/arm64").at("b"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), p.annotations.at("b"));
        CPPUNIT_ASSERT((p.platforms == std::vector<std::string>{"linux/arm64", "linux/amd64"}));
        CPPUNIT_ASSERT_EQUAL(std::string("/tmp/merge-meta.json"), p.metadataFile);
        merge({"--tag", "r.io/a:1", "--annotation", "index-descriptor:c=3", "--platform",
               "linux/vax", "r.io/a@" + DIGEST},
              problems);
        const std::string all = base::join(hoist::test::messages(problems), "\n");
        CPPUNIT_ASSERT_MESSAGE(all, all.find("an index-descriptor: annotation describes an index "
                                             "inside another") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(all, all.find("linux/vax") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MergePlanTest);
