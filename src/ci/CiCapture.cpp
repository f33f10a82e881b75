// This file implements the CI capture and its replay: the CI's variables, the GitHub event
// payload and hoist's arguments written without any secret, and laid over the environment later.

#include "ci/CiCapture.h"

#include "base/Error.h"
#include "base/Redactor.h"
#include "base/Strings.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>

namespace hoist::ci
{

namespace
{

const char* PREFIXES[] = {"GITHUB_",        "RUNNER_",    "ACTIONS_", "CI_",          "GITLAB_",
                          "HOIST_",         "INPUT_",     "ImageOS",  "ImageVersion", "DOCKER_HOST",
                          "DOCKER_CONTEXT", "DOCKER_TLS", "BUILDX_"};
// Never captured: secrets, and the runner's per-step files (meaningless elsewhere).
const char* SECRET_WORDS[] = {"TOKEN", "PASSWORD", "SECRET", "KEY", "CREDENTIAL", "AUTH"};
const char* STEP_FILES[] = {"GITHUB_OUTPUT",    "GITHUB_STATE",      "GITHUB_STEP_SUMMARY",
                            "GITHUB_ENV",       "GITHUB_PATH",       "GITHUB_EVENT_PATH",
                            "DOCKER_CERT_PATH", "DOCKER_TLS_CERTDIR"};

} // namespace

bool CiCapture::captured(const std::string& name)
{
    bool known = false;
    for (const char* p : PREFIXES)
        known = known || base::startsWith(name, p);
    if (!known)
        return false;
    const std::string upper = Poco::toUpper(name);
    for (const char* w : SECRET_WORDS)
    {
        if (upper.find(w) != std::string::npos)
            return false;
    }
    for (const char* f : STEP_FILES)
    {
        if (name == f)
            return false;
    }
    return true;
}

std::string CiCapture::capture(const base::Env& env, const std::vector<std::string>& args)
{
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    root->set("hoistCapture", 1);
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& arg : args)
        a->add(base::Redactor::instance().redact(arg));
    root->set("args", a);
    Poco::JSON::Object::Ptr vars = new Poco::JSON::Object;
    const auto secrets = base::Redactor::instance().secrets();
    for (const auto& [k, v] : env.all())
    {
        if (captured(k) && secrets.count(v) == 0)
            vars->set(k, base::Redactor::instance().redact(v));
    }
    root->set("env", vars);
    if (env.has("GITHUB_EVENT_PATH"))
    {
        try
        {
            Poco::FileInputStream in(*env.get("GITHUB_EVENT_PATH"));
            root->set("event", Poco::JSON::Parser().parse(in));
        }
        catch (const Poco::Exception&)
        {
        }
    }
    std::ostringstream out;
    root->stringify(out, 2);
    return out.str() + "\n";
}

base::Env CiCapture::replay(const std::string& file, const std::string& option,
                            const base::Env& env, std::vector<std::string>& args,
                            const std::string& eventFile)
{
    Poco::JSON::Object::Ptr root;
    try
    {
        Poco::FileInputStream in(file);
        root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException(option + " " + base::quoted(file) +
                                    " cannot be read: " + e.displayText());
    }
    if (!root->has("hoistCapture"))
        throw base::ConfigException(option + " " + base::quoted(file) +
                                    " is not a capture of hoist's");
    base::Env out = env;
    if (auto vars = root->getObject("env"))
    {
        for (const auto& k : vars->getNames())
            out = out.with(k, vars->getValue<std::string>(k));
    }
    args.clear();
    if (auto a = root->getArray("args"))
    {
        for (std::size_t i = 0; i < a->size(); ++i)
            args.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    }
    if (root->has("event"))
    {
        Poco::FileOutputStream ev(eventFile);
        root->get("event").extract<Poco::JSON::Object::Ptr>()->stringify(ev);
        out = out.with("GITHUB_EVENT_PATH", eventFile);
    }
    return out;
}

} // namespace hoist::ci
