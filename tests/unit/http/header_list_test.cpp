// header_list: ordered fields, case-insensitive lookups, list tokens.
#include <gtest/gtest.h>

#include "wasync/http/header_list.hpp"

namespace wasync::http {
namespace {

header_list sample() {
  header_list h;
  h.add("Accept", "text/html");
  h.add("X-Tag", "one");
  h.add("x-tag", "two");
  h.add("Cache-Control", "no-cache, ,  max-age=0 ");
  return h;
}

TEST(header_list, get_finds_the_first_field_whatever_the_case) {
  EXPECT_EQ(sample().get("x-TAG"), "one");
  EXPECT_EQ(sample().get("ACCEPT"), "text/html");
}

TEST(header_list, get_of_a_missing_field_is_empty) {
  EXPECT_EQ(sample().get("Host"), std::nullopt);
  EXPECT_EQ(sample().get("X-Ta"), std::nullopt);
}

TEST(header_list, get_all_returns_repeated_fields_in_order) {
  EXPECT_EQ(sample().get_all("X-Tag"), (std::vector<std::string_view>{"one", "two"}));
  EXPECT_TRUE(sample().get_all("Host").empty());
}

TEST(header_list, counts_fields_by_name) {
  EXPECT_EQ(sample().count("x-tag"), 2u);
  EXPECT_TRUE(sample().contains("cache-control"));
  EXPECT_FALSE(sample().contains("Host"));
}

TEST(header_list, iterates_in_arrival_order_with_names_as_given) {
  std::vector<std::string> names;
  for (const auto& f : sample()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Accept", "X-Tag", "x-tag", "Cache-Control"}));
}

TEST(header_list, has_token_matches_whole_list_elements_case_insensitively) {
  EXPECT_TRUE(sample().has_token("cache-control", "NO-CACHE"));
  EXPECT_TRUE(sample().has_token("Cache-Control", "max-age=0"));
  EXPECT_FALSE(sample().has_token("Cache-Control", "no"));
  EXPECT_FALSE(sample().has_token("Cache-Control", ""));
  EXPECT_TRUE(sample().has_token("X-Tag", "two"));
}

TEST(header_list, iequals_ignores_ascii_case_only) {
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
  EXPECT_FALSE(iequals("a", "ab"));
  EXPECT_FALSE(iequals("\xc3\xa9", "\xc3\x89"));
  EXPECT_FALSE(iequals("@", "`"));
}

}  // namespace
}  // namespace wasync::http
