// framing_error: why the field-line lexer or the chunked decoder refused its input.
#pragma once

#include <string_view>

namespace wasync::http::detail {

/// The kind picks each parser's answer (a request parser's status); the
/// reason is static text for logs, the same from both parsers.
struct framing_error {
  enum class kind : unsigned char {
    malformed,         ///< the bytes break the grammar
    fields_too_large,  ///< over a field section's byte or field budget
    body_too_large,    ///< chunk sizes over the body's limit
  };
  kind what = kind::malformed;
  std::string_view reason;
};

}  // namespace wasync::http::detail
