#include "scenario/yaml_reader.hpp"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/scenario.hpp"

namespace mqttsim::scenario {
namespace {

// Edit distance, for "did you mean" hints on misspelt keys.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string list(std::initializer_list<std::string_view> items) {
  std::string text;
  for (const std::string_view item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

}  // namespace

YAML::Node YamlReader::load_file() const {
  std::ifstream in{file_, std::ios::binary};
  if (!in) throw LoadError(file_, 0, 0, "cannot open the file (does it exist, is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  return load_text(text.str());
}

YAML::Node YamlReader::load_text(const std::string& text) const {
  try {
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& error) {
    throw LoadError(file_, error.mark.line + 1, error.mark.column + 1,
                    "collections nested " + std::to_string(error.depth()) +
                        " deep; that is more than any scenario or profile needs");
  } catch (const YAML::Exception& error) {
    throw LoadError(file_, error.mark.line + 1, error.mark.column + 1,
                    "not valid YAML: " + error.msg);
  }
}

void YamlReader::fail(const YAML::Node& at, const std::string& message) const {
  // A missing key's node has no mark (and Mark() would throw): report 0:0
  // rather than let a yaml-cpp exception escape.
  const YAML::Mark mark = at.IsDefined() ? at.Mark() : YAML::Mark::null_mark();
  throw LoadError(file_, mark.line + 1, mark.column + 1, message);
}

void YamlReader::expect_map(const YAML::Node& node, std::string_view what) const {
  if (!node.IsMap()) fail(node, std::string{what} + " must be a mapping (key: value lines)");
}

std::string_view YamlReader::closest_match(std::string_view word,
                                           const std::vector<std::string_view>& candidates) {
  std::string_view closest;
  std::size_t best = word.size() + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t d = distance(word, candidate);
    if (d < best) {
      best = d;
      closest = candidate;
    }
  }
  if (best <= std::max<std::size_t>(2, word.size() / 3)) return closest;
  return {};
}

void YamlReader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                            std::string_view what) const {
  expect_map(map, what);
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar())
      fail(entry.first, "a key in " + std::string{what} + " must be a plain word");
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      fail(entry.first, "'" + key + "' is given twice in " + std::string{what});
    }
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string_view closest = closest_match(key, std::vector<std::string_view>(allowed));
    std::string message = "unknown key '" + key + "' in " + std::string{what};
    if (!closest.empty()) {
      message += " (did you mean '" + std::string{closest} + "'?)";
    } else {
      message += "; allowed: " + list(allowed);
    }
    fail(entry.first, message);
  }
}

bool YamlReader::read_bool(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  fail(node, std::string{what} + " must be true or false");
}

std::uint64_t YamlReader::read_unsigned(const YAML::Node& node, std::string_view what,
                                        std::uint64_t max) const {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc{} && end == text.data() + text.size() && value <= max) return value;
  }
  fail(node, std::string{what} + " must be a whole number from 0 to " + std::to_string(max));
}

std::string YamlReader::read_string(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) fail(node, std::string{what} + " must be a string");
  if (member_) return expand_member(node.Scalar(), *member_);
  return node.Scalar();
}

std::size_t YamlReader::read_choice(const YAML::Node& node, std::string_view what,
                                    std::initializer_list<std::string_view> choices) const {
  if (node.IsScalar()) {
    const auto found = std::find(choices.begin(), choices.end(), node.Scalar());
    if (found != choices.end()) return static_cast<std::size_t>(found - choices.begin());
  }
  fail(node, std::string{what} + " must be one of: " + list(choices));
}

}  // namespace mqttsim::scenario
