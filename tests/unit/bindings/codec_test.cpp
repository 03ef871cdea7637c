// bind::reader: arguments decode as the JS wrappers encode them, and a
// malformed buffer fails the call with errc::invalid_argument instead of
// reading past its end (natively: the reader is plain C++).
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "wasync/bind/codec.hpp"

namespace wasync::bind {
namespace {

struct buffer {
  std::vector<std::uint8_t> bytes;
  template <class T>
  buffer& scalar(T v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof v);
    return *this;
  }
  buffer& text(std::string_view s) {
    scalar(static_cast<std::uint32_t>(s.size()));
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
  reader read() const { return reader(bytes.data(), bytes.size()); }
};

TEST(bind_codec, arguments_decode_in_order) {
  buffer b;
  b.scalar<std::int32_t>(-7).scalar<double>(2.5).scalar<std::uint8_t>(1).text("héllo");
  b.scalar<std::uint8_t>(1).text("opt").scalar<std::uint32_t>(2).scalar<std::int64_t>(-1).scalar<std::int64_t>(1LL << 40);
  b.text("view");
  reader r = b.read();
  std::int32_t i{};
  double d{};
  bool flag{};
  std::string s;
  std::optional<std::string> o;
  std::vector<std::int64_t> v;
  std::string_view view;
  r.get(i);
  r.get(d);
  r.get(flag);
  r.get(s);
  r.get(o);
  r.get(v);
  r.get(view);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(i, -7);
  EXPECT_EQ(d, 2.5);
  EXPECT_TRUE(flag);
  EXPECT_EQ(s, "héllo");
  EXPECT_EQ(o, "opt");
  EXPECT_EQ(v, (std::vector<std::int64_t>{-1, 1LL << 40}));
  EXPECT_EQ(view, "view");
  EXPECT_EQ(static_cast<const void*>(view.data()), static_cast<const void*>(b.bytes.data() + b.bytes.size() - 4))
      << "a view points into the buffer";
}

TEST(bind_codec, a_truncated_buffer_fails_with_invalid_argument) {
  buffer b;
  b.text("abcdef");
  b.bytes.resize(b.bytes.size() - 2);
  reader r = b.read();
  std::string s;
  r.get(s);
  ASSERT_FALSE(r.ok());
  const error e = r.failure("greet");
  EXPECT_EQ(e.code(), errc::invalid_argument);
  EXPECT_EQ(e.message(), "malformed arguments for greet (truncated)");
}

TEST(bind_codec, trailing_bytes_fail) {
  buffer b;
  b.scalar<std::int32_t>(1).scalar<std::uint8_t>(0);
  reader r = b.read();
  std::int32_t i{};
  r.get(i);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure("f").message(), "malformed arguments for f (trailing bytes)");
}

TEST(bind_codec, a_count_larger_than_the_buffer_fails_without_allocating_it) {
  buffer b;
  b.scalar<std::uint32_t>(0xffffffffu).scalar<std::int32_t>(1);
  reader r = b.read();
  std::vector<std::int32_t> v;
  r.get(v);
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(r.ok());
}

TEST(bind_codec, bool_and_optional_tags_other_than_zero_or_one_fail) {
  for (std::uint8_t tag : {2, 255}) {
    buffer b;
    b.scalar(tag);
    reader r = b.read();
    bool flag{};
    r.get(flag);
    EXPECT_FALSE(r.ok());
    reader r2 = b.read();
    std::optional<std::int32_t> o;
    r2.get(o);
    EXPECT_FALSE(r2.ok());
  }
}

TEST(bind_codec, reads_after_a_failure_read_nothing) {
  buffer b;
  b.scalar<std::uint16_t>(1);
  reader r = b.read();
  std::int32_t i = 5;
  std::string s = "kept";
  r.get(i);
  r.get(s);
  EXPECT_EQ(i, 0);
  EXPECT_EQ(s, "kept");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace wasync::bind
