#include "cli/ActionList.h"

#include "base/Strings.h"

#include <cppunit/extensions/HelperMacros.h>

using hoist::base::Env;
using hoist::base::join;
using hoist::cli::ActionList;

class ActionListTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ActionListTest);
    CPPUNIT_TEST(testLinesTrimmedEmptyDropped);
    CPPUNIT_TEST(testCommasSplitOrJoined);
    CPPUNIT_TEST(testQuotedFieldsHoldCommasAndNewlines);
    CPPUNIT_TEST(testUnquotedKeepsQuotes);
    CPPUNIT_TEST(testSecretValuesByKey);
    CPPUNIT_TEST(testSecretsKeepTheirWhiteSpace);
    CPPUNIT_TEST_SUITE_END();

public:
    void testLinesTrimmedEmptyDropped()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("a=1|b=2"),
                             join(ActionList::parse("  a=1 \r\n\n b=2\n", false), "|"));
        CPPUNIT_ASSERT(ActionList::parse("", true).empty());
    }

    void testCommasSplitOrJoined()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("linux/amd64|linux/arm64|linux/riscv64"),
            join(ActionList::parse("linux/amd64,linux/arm64,\nlinux/riscv64", true), "|"));
        CPPUNIT_ASSERT_EQUAL(std::string("type=local,dest=out"),
                             join(ActionList::parse("type=local,dest=out", false), "|"));
    }

    void testQuotedFieldsHoldCommasAndNewlines()
    {
        CPPUNIT_ASSERT_EQUAL(
            std::string("MULTI=line1\nline2|A=x,y|Q=say \"hi\""),
            join(
                ActionList::parse("\"MULTI=line1\nline2\"\n\"A=x,y\"\n\"Q=say \"\"hi\"\"\"", false),
                "|"));
        // A quote inside a field is kept as written (relaxed quotes).
        CPPUNIT_ASSERT_EQUAL(std::string("K=a\"b"), join(ActionList::parse("K=a\"b", false), "|"));
    }

    void testUnquotedKeepsQuotes()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("\"type=local\""),
                             join(ActionList::parse("\"type=local\"", false, false), "|"));
    }

    void testSecretValuesByKey()
    {
        Env env(Env::Map{{"INPUT_SECRETS",
                          "GIT_AUTH_TOKEN=abc=def\n\"KEY=-----BEGIN\nbody\n-----END\"\nNOVALUE"}});
        CPPUNIT_ASSERT_EQUAL(std::string("abc=def"), *ActionList::secret(env, "GIT_AUTH_TOKEN"));
        CPPUNIT_ASSERT_EQUAL(std::string("-----BEGIN\nbody\n-----END"),
                             *ActionList::secret(env, "KEY"));
        CPPUNIT_ASSERT(!ActionList::secret(env, "NOVALUE"));
        CPPUNIT_ASSERT(!ActionList::secret(env, "OTHER"));
    }

    void testSecretsKeepTheirWhiteSpace()
    {
        // build-push-action reads `secrets` with trimWhitespace: false: a trailing newline or a
        // space in a value is data; the YAML block's own last newline ends a record.
        Env env(Env::Map{{"INPUT_SECRETS", "\"PEM=line1\nline2\n\"\nPAD=  x  \n\n"}});
        CPPUNIT_ASSERT_EQUAL(std::string("line1\nline2\n"), *ActionList::secret(env, "PEM"));
        CPPUNIT_ASSERT_EQUAL(std::string("  x  "), *ActionList::secret(env, "PAD"));
        CPPUNIT_ASSERT_EQUAL(std::string("PAD=  x  "),
                             join(ActionList::parse("PAD=  x  \n", false, true, false), "|"));
        // Every other list input is trimmed.
        CPPUNIT_ASSERT_EQUAL(std::string("PAD=  x"),
                             join(ActionList::parse("PAD=  x  \n", false), "|"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ActionListTest);
