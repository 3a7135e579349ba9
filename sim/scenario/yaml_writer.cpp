#include "scenario/yaml_writer.hpp"

#include <array>
#include <optional>
#include <stdexcept>

namespace mqttsim::scenario {
namespace {

// "U+FFFE", "U+1FFFF": at least four hex digits, as Unicode writes them.
std::string hex_code_point(std::uint32_t code_point) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string text;
  for (std::uint32_t rest = code_point; rest != 0 || text.size() < 4; rest >>= 4) {
    text.insert(text.begin(), digits[rest & 0xF]);
  }
  return "U+" + text;
}

// What keeps `text` from reading back as written, if anything. YAML is
// Unicode text, so ill-formed UTF-8 has no spelling in it; and yaml-cpp
// 0.7's emitter turns each noncharacter (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF)
// into U+FFFD whenever it quotes a string. Every other code point, U+0000
// included, reads back as written: checked for all of them, alone and next
// to others, when this was written; st_writer keeps every ASCII character
// and the edges of the special ranges.
std::optional<std::string> text_problem(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;  // below it, an over-long form
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1FU;
      minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0FU;
      minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07U;
      minimum = 0x10000;
    }
    bool well_formed = length != 0 && text.size() - i >= length;
    for (std::size_t k = 1; well_formed && k < length; ++k) {
      const auto byte = static_cast<std::uint8_t>(text[i + k]);
      well_formed = (byte & 0xC0U) == 0x80U;
      code_point = (code_point << 6U) | (byte & 0x3FU);
    }
    if (!well_formed || code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return "is not valid UTF-8 (at byte " + std::to_string(i) +
             "); the scenario language holds text only";
    }
    if ((code_point >= 0xFDD0 && code_point <= 0xFDEF) || (code_point & 0xFFFEU) == 0xFFFEU) {
      return "holds the Unicode noncharacter " + hex_code_point(code_point) + " (at byte " +
             std::to_string(i) + "), which yaml-cpp cannot write";
    }
    i += length;
  }
  return std::nullopt;
}

// yaml-cpp 0.7 writes a carriage return raw in a plain scalar, where its
// parser then reads a line break. Control characters are rare in scenario
// text, so any of them makes the scalar double-quoted, where each is escaped.
bool needs_double_quotes(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

struct DurationUnit {
  std::int64_t us;
  std::string_view suffix;
};

// Largest first; each is one the loader parses (units.cpp).
constexpr std::array<DurationUnit, 5> duration_units{{
    {3'600'000'000, "h"},
    {60'000'000, "m"},
    {1'000'000, "s"},
    {1'000, "ms"},
    {1, "us"},
}};

}  // namespace

std::string duration_text(Duration duration, std::string_view what) {
  const std::int64_t us = duration.count_us();
  if (us < 0) {
    throw std::invalid_argument(std::string{what} + " is negative (" + to_string(duration) +
                                "); the scenario language has no negative durations");
  }
  if (us == 0) return "0s";
  for (const DurationUnit& unit : duration_units) {
    if (us % unit.us == 0) return std::to_string(us / unit.us) + std::string{unit.suffix};
  }
  return std::to_string(us) + "us";  // not reached: every count is whole microseconds
}

YamlWriter::YamlWriter() {
  out_.SetIndent(2);
  out_.SetBoolFormat(YAML::TrueFalseBool);
  out_.SetBoolFormat(YAML::LowerCase);
}

void YamlWriter::begin_map() { out_ << YAML::Block << YAML::BeginMap; }
void YamlWriter::begin_flow_map() { out_ << YAML::Flow << YAML::BeginMap; }
void YamlWriter::end_map() { out_ << YAML::EndMap; }
void YamlWriter::begin_seq() { out_ << YAML::Block << YAML::BeginSeq; }
void YamlWriter::begin_flow_seq() { out_ << YAML::Flow << YAML::BeginSeq; }
void YamlWriter::end_seq() { out_ << YAML::EndSeq; }

void YamlWriter::key(std::string_view word) {
  out_ << YAML::Key << std::string{word} << YAML::Value;
}

void YamlWriter::text_key(std::string_view name, std::string_view field) {
  out_ << YAML::Key;
  text(name, field);
  out_ << YAML::Value;
}

void YamlWriter::text(std::string_view text, std::string_view field) {
  if (const auto problem = text_problem(text)) {
    throw std::invalid_argument(what(field) + " " + *problem);
  }
  if (needs_double_quotes(text)) out_ << YAML::DoubleQuoted;
  out_ << std::string{text};
}

void YamlWriter::word(std::string_view word) { out_ << std::string{word}; }
void YamlWriter::number(std::uint64_t value) { out_ << value; }
void YamlWriter::boolean(bool value) { out_ << value; }
void YamlWriter::null() { out_ << YAML::Null; }

void YamlWriter::duration(Duration duration, std::string_view field) {
  out_ << duration_text(duration, what(field));
}

void YamlWriter::loss_ppm(std::uint32_t ppm) { out_ << std::to_string(ppm) + "ppm"; }

void YamlWriter::text_field(std::string_view key, std::string_view value) {
  this->key(key);
  text(value, key);
}

void YamlWriter::word_field(std::string_view key, std::string_view word) {
  this->key(key);
  this->word(word);
}

void YamlWriter::number_field(std::string_view key, std::uint64_t value) {
  this->key(key);
  number(value);
}

void YamlWriter::bool_field(std::string_view key, bool value) {
  this->key(key);
  boolean(value);
}

void YamlWriter::duration_field(std::string_view key, Duration value) {
  this->key(key);
  duration(value, key);
}

void YamlWriter::seconds_field(std::string_view key, std::uint32_t seconds) {
  duration_field(key, Duration::from_s(seconds));
}

void YamlWriter::loss_field(std::string_view key, std::uint32_t ppm) {
  this->key(key);
  loss_ppm(ppm);
}

std::string YamlWriter::finish() const {
  if (!out_.good()) {
    throw std::logic_error("scenario writer: YAML emitter error: " + out_.GetLastError());
  }
  return std::string{out_.c_str()} + "\n";
}

}  // namespace mqttsim::scenario
