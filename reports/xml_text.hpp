#pragma once
// XML 1.0 character data and attribute values from arbitrary bytes. The
// result is always well-formed inside an element or a double- or
// single-quoted attribute of a UTF-8 document:
//   - & < > " ' become &amp; &lt; &gt; &quot; &apos;
//   - characters XML 1.0 cannot carry at all, not even as a character
//     reference (XML 1.0 §2.2 "Char": U+0000..U+001F other than tab, line feed
//     and carriage return, and U+FFFE, U+FFFF), become U+FFFD, as does
//     ill-formed UTF-8 (see utf8_text.hpp);
//   - carriage return is written &#13; everywhere, and in attributes tab and
//     line feed are written &#9; and &#10;, because a parser would otherwise
//     normalise them (XML 1.0 §2.11 line ends, §3.3.3 attribute values) and
//     the reader would not get the text that was written.

#include <string>
#include <string_view>

namespace mqttsim::reports {

std::string xml_text(std::string_view text);       // for element content
std::string xml_attribute(std::string_view text);  // for an attribute value, without the quotes

}  // namespace mqttsim::reports
