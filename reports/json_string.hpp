#pragma once
// JSON string literals (RFC 8259 §7) from arbitrary bytes. The result is
// always valid JSON and valid UTF-8: quotes and backslashes are escaped,
// control characters U+0000..U+001F become \b \f \n \r \t or \u00XX, valid
// UTF-8 above ASCII passes through as is, and ill-formed UTF-8 becomes U+FFFD
// (see utf8_text.hpp), because a JSON text must be UTF-8 (RFC 8259 §8.1).

#include <string>
#include <string_view>

namespace mqttsim::reports {

// `text` as a quoted JSON string: "a \"b\"\n".
std::string json_string(std::string_view text);

}  // namespace mqttsim::reports
