#include <boost/test/unit_test.hpp>
#include <string>

#include "reports/xml_text.hpp"

using mqttsim::reports::xml_attribute;
using mqttsim::reports::xml_text;

namespace {
const std::string fffd = "\xef\xbf\xbd";
}

BOOST_AUTO_TEST_SUITE(st_xml_text)

BOOST_AUTO_TEST_CASE(markup_characters_are_escaped_in_both_contexts) {
  for (const auto escape : {xml_text, xml_attribute}) {
    BOOST_TEST(escape(R"(a<b>&"c"'d')") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    BOOST_TEST(escape("]]>") == "]]&gt;");
    BOOST_TEST(escape("") == "");
  }
}

// A parser normalises a literal CR in text and tab/LF/CR in attribute values;
// character references survive (XML 1.0 §2.11, §3.3.3).
BOOST_AUTO_TEST_CASE(whitespace_survives_the_parser) {
  BOOST_TEST(xml_text("a\tb\nc\r\nd") == "a\tb\nc&#13;\nd");
  BOOST_TEST(xml_attribute("a\tb\nc\r\nd") == "a&#9;b&#10;c&#13;&#10;d");
}

BOOST_AUTO_TEST_CASE(characters_xml_cannot_carry_become_replacement_characters) {
  for (int byte = 0; byte < 0x20; ++byte) {
    if (byte == '\t' || byte == '\n' || byte == '\r') continue;
    BOOST_TEST_CONTEXT("byte " << byte) {
      BOOST_TEST(xml_text(std::string(1, static_cast<char>(byte))) == fffd);
      BOOST_TEST(xml_attribute(std::string(1, static_cast<char>(byte))) == fffd);
    }
  }
  BOOST_TEST(xml_text("\xef\xbf\xbe|\xef\xbf\xbf") == fffd + "|" + fffd);  // U+FFFE, U+FFFF
  BOOST_TEST(xml_text("\xed\xa0\x80") == fffd + fffd + fffd);              // a surrogate
  BOOST_TEST(xml_text("x\xff<") == "x" + fffd + "&lt;");
}

BOOST_AUTO_TEST_CASE(every_other_character_passes_unchanged) {
  // DEL and C1 controls are discouraged in XML 1.0 but allowed; U+FFFD and
  // astral characters too.
  const std::string allowed = "\x7f\xc2\x80\xc2\x9f caf\xc3\xa9 \xef\xbf\xbd \xf0\x9f\x98\x80";
  BOOST_TEST(xml_text(allowed) == allowed);
  BOOST_TEST(xml_attribute(allowed) == allowed);
}

BOOST_AUTO_TEST_SUITE_END()
