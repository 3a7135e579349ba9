#pragma once
// Strict, located reading of YAML nodes: every value is checked for its type
// and range, every mapping for unknown keys, and every complaint says
// file:line:column (1-based) and what would be right. yaml-cpp's own
// conversions are lax ("1.5" reads as an int on some paths), so scalars are
// parsed here.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/load_error.hpp"

namespace mqttsim::scenario {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_{std::move(file)} {}

  // Parses a whole file or text; syntax errors become LoadErrors.
  YAML::Node load_file() const;
  YAML::Node load_text(const std::string& text) const;

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;

  void expect_map(const YAML::Node& node, std::string_view what) const;
  // Fails on a key not in `allowed`, naming the closest allowed key, and on
  // a key written twice.
  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view what) const;

  bool read_bool(const YAML::Node& node, std::string_view what) const;
  std::uint64_t read_unsigned(const YAML::Node& node, std::string_view what,
                              std::uint64_t max) const;
  // While a population member's step is read (set_member), "{i}" in the
  // string reads as the member's number.
  std::string read_string(const YAML::Node& node, std::string_view what) const;
  // One of `choices`, returned as its index.
  std::size_t read_choice(const YAML::Node& node, std::string_view what,
                          std::initializer_list<std::string_view> choices) const;

  const std::string& file() const { return file_; }

  // The population member whose step is being read, or none. Every string
  // of the step is read for that member (scenario.hpp, Population).
  void set_member(std::optional<std::uint32_t> index) const { member_ = index; }

  // The candidate closest to `word` by edit distance, when close enough to be
  // a likely misspelling; empty otherwise. For "did you mean" hints.
  static std::string_view closest_match(std::string_view word,
                                        const std::vector<std::string_view>& candidates);

 private:
  std::string file_;
  // Reading state, not configuration: the loader sets it around each
  // member's reading of one step node.
  mutable std::optional<std::uint32_t> member_;
};

}  // namespace mqttsim::scenario
