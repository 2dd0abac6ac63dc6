// docs/scenario-keys.md is generated from the field descriptions; keep it current.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

TEST(ScenarioReference, DocsAreCurrent) {
  std::ifstream in(std::string(TALENTSIM_SOURCE_DIR) + "/docs/scenario-keys.md");
  ASSERT_TRUE(in) << "docs/scenario-keys.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  std::string body = text.str();
  body = body.substr(body.find('\n') + 1);  // after the "generated" comment line
  EXPECT_EQ(body, scenario_reference())
      << "regenerate with: build/ci/talentsim schema > body of docs/scenario-keys.md";
}

TEST(ScenarioReference, ListsEveryKindOfKey) {
  const std::string r = scenario_reference();
  for (const char* key : {"`market.offer_rate_employed`", "`firms[].pay.median`",
                          "`firms[].reactive_raise.trigger_departures`",
                          "`events[].offer_rate_multiplier`", "`extends`", "`choice.noise`"})
    EXPECT_NE(r.find(key), std::string::npos) << key;
}

}  // namespace
}  // namespace talentsim
