#pragma once
// The writing side of yaml_reader: a YAML::Emitter that only writes what
// reads back as the same text, and the scenario language's spellings of
// durations and loss rates. Anything it cannot write faithfully is a
// std::invalid_argument naming it, never a silently different file.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/time.hpp"

namespace mqttsim::scenario {

class YamlWriter {
 public:
  YamlWriter();

  // Where the writer is ("steps[3] (publish): "): the start of every
  // complaint, followed by the field's name.
  void set_context(std::string context) { context_ = std::move(context); }
  std::string what(std::string_view field) const { return context_ + std::string{field}; }

  // Collections. Flow style ({a: 1}, [a, b]) is for mappings whose keys are
  // the language's own words and for lists: yaml-cpp 0.7 writes a flow key
  // longer than 1024 characters in a form its own parser rejects, so a
  // mapping with free-text keys (user properties) is always a block.
  void begin_map();
  void begin_flow_map();
  void end_map();
  void begin_seq();
  void begin_flow_seq();
  void end_seq();

  // A key of the language ("topic", "qos"): a plain word.
  void key(std::string_view word);
  // A key that is free text (a user property's name); checked like text().
  void text_key(std::string_view name, std::string_view field);

  // Free text (payloads, topics, names), written so that it reads back as
  // exactly these characters: quoted where YAML would read it otherwise.
  void text(std::string_view text, std::string_view field);
  // A word of the language ("durable", "never", "3.1.1").
  void word(std::string_view word);
  void number(std::uint64_t value);
  void boolean(bool value);
  void null();
  // See duration_text.
  void duration(Duration duration, std::string_view field);
  // "2500ppm": exact, where a percentage might not be.
  void loss_ppm(std::uint32_t ppm);

  // `key: value` in one call; `key` names the field in complaints.
  void text_field(std::string_view key, std::string_view value);
  void word_field(std::string_view key, std::string_view word);
  void number_field(std::string_view key, std::uint64_t value);
  void bool_field(std::string_view key, bool value);
  void duration_field(std::string_view key, Duration value);
  // An MQTT interval in whole seconds ("90s", "2m").
  void seconds_field(std::string_view key, std::uint32_t seconds);
  void loss_field(std::string_view key, std::uint32_t ppm);

  // The document written so far (every collection must be closed).
  std::string finish() const;

 private:
  YAML::Emitter out_;
  std::string context_;
};

// "1500ms", "250us", "3s", "2m", "1h", "0s": the largest unit that holds
// `duration` exactly, so it parses back to the same microsecond count.
// Throws std::invalid_argument naming `what` for a negative duration, which
// the language has no way to write.
std::string duration_text(Duration duration, std::string_view what);

}  // namespace mqttsim::scenario
