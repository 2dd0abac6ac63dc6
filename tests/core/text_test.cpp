#include "talentsim/core/text.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace talentsim {
namespace {

TEST(EditDistance, CountsTranspositionsAsOne) {
  EXPECT_EQ(edit_distance("median", "median"), 0u);
  EXPECT_EQ(edit_distance("medain", "median"), 1u);
  EXPECT_EQ(edit_distance("media", "median"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> keys{"median", "skill_elasticity", "dispersion", "ceiling"};
  EXPECT_EQ(closest_match("medain", keys), "median");
  EXPECT_EQ(closest_match("dispersoin", keys), "dispersion");
  EXPECT_EQ(closest_match("zzz", keys), "");
}

TEST(Parse, NumbersAreStrict) {
  EXPECT_EQ(parse_double("4e5"), 400000.0);
  EXPECT_EQ(parse_double(" 2.5 "), 2.5);
  EXPECT_FALSE(parse_double("nan"));
  EXPECT_FALSE(parse_double("inf"));
  EXPECT_FALSE(parse_double("12abc"));
  EXPECT_FALSE(parse_double(""));
  EXPECT_EQ(parse_int("-3"), -3);
  EXPECT_FALSE(parse_int("1.5"));
  EXPECT_FALSE(parse_uint("-1"));
  EXPECT_EQ(parse_bool("yes"), true);
  EXPECT_FALSE(parse_bool("maybe"));
}

TEST(FormatDouble, RoundTripsExactly) {
  for (double x : {0.1, 1.0 / 3.0, 400000.0, 1e-300, 6.02214076e23}) {
    EXPECT_EQ(parse_double(format_double(x)), x);
  }
}

TEST(Identifier, AcceptsLowercaseSnakeCase) {
  EXPECT_TRUE(is_identifier("google_deepmind"));
  EXPECT_TRUE(is_identifier("x1"));
  EXPECT_FALSE(is_identifier("Meta"));
  EXPECT_FALSE(is_identifier("1x"));
  EXPECT_FALSE(is_identifier("a-b"));
}

}  // namespace
}  // namespace talentsim
