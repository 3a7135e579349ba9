#include "codec/topic.hpp"

#include <algorithm>
#include <string>

#include "codec/utf8.hpp"
#include "codec/wire.hpp"

namespace mqttsim::codec {

namespace {

using wire::by_version;

constexpr std::string_view kSharePrefix = "$share/";

// Topic errors are protocol errors in 5.0 terms: the string is well-formed
// UTF-8 but breaks a rule about topics.
DecodeError topic_error(DecodeErrorKind kind, ProtocolVersion version, std::string_view spec_id,
                        std::string message, std::size_t offset) {
  return DecodeError{kind, SpecRef{version, spec_id}, std::move(message), offset,
                     ReasonCode::protocol_error};
}

std::optional<DecodeError> check_utf8(std::string_view text, ProtocolVersion version,
                                      std::string_view what) {
  const auto problem = find_utf8_error(text);
  if (!problem) return std::nullopt;
  const bool null = problem->problem == Utf8Problem::null_character;
  return DecodeError{null ? DecodeErrorKind::null_character : DecodeErrorKind::invalid_utf8,
                     SpecRef{version, null ? by_version(version, "MQTT-1.5.3-2", "MQTT-1.5.4-2")
                                           : by_version(version, "MQTT-1.5.3-1", "MQTT-1.5.4-1")},
                     std::string{what} + " contains " + std::string{to_string(problem->problem)},
                     problem->offset, ReasonCode::malformed_packet};
}

std::optional<DecodeError> check_length(std::string_view text, ProtocolVersion version,
                                        DecodeErrorKind kind, std::string_view what) {
  if (text.empty()) {
    return topic_error(kind, version, "MQTT-4.7.3-1",
                       std::string{what} + " is empty; it must be at least one character", 0);
  }
  if (text.size() > wire::kMaxStringBytes) {
    return topic_error(
        kind, version, "MQTT-4.7.3-3",
        std::string{what} + " is " + std::to_string(text.size()) + " bytes; the limit is 65535",
        wire::kMaxStringBytes);
  }
  return std::nullopt;
}

// The '+' / '#' rules for an ordinary (not shared) filter; `base` is where
// `filter` starts inside the string being validated, for error offsets.
std::optional<DecodeError> check_wildcards(std::string_view filter, ProtocolVersion version,
                                           std::size_t base) {
  std::size_t level_start = 0;
  while (true) {
    const std::size_t slash = filter.find('/', level_start);
    const std::size_t level_end = slash == std::string_view::npos ? filter.size() : slash;
    const std::string_view level = filter.substr(level_start, level_end - level_start);
    const std::size_t hash = level.find('#');
    if (hash != std::string_view::npos && (level.size() != 1 || level_end != filter.size())) {
      return topic_error(DecodeErrorKind::invalid_topic_filter, version,
                         by_version(version, "MQTT-4.7.1-2", "MQTT-4.7.1-1"),
                         "topic filter \"" + std::string{filter} +
                             "\" has '#' that is not alone in the last level",
                         base + level_start + hash);
    }
    const std::size_t plus = level.find('+');
    if (plus != std::string_view::npos && level.size() != 1) {
      return topic_error(
          DecodeErrorKind::invalid_topic_filter, version,
          by_version(version, "MQTT-4.7.1-3", "MQTT-4.7.1-2"),
          "topic filter \"" + std::string{filter} + "\" has '+' that does not fill its whole level",
          base + level_start + plus);
    }
    if (slash == std::string_view::npos) return std::nullopt;
    level_start = slash + 1;
  }
}

// The first '+' or '#', or npos. One pass: string_view::find_first_of with a
// two-character set calls memchr once per character of `text`, which showed
// up as a quarter of decode time in codec_bench.
std::size_t find_wildcard(std::string_view text) {
  const auto found =
      std::find_if(text.begin(), text.end(), [](char c) { return c == '+' || c == '#'; });
  return found == text.end() ? std::string_view::npos
                             : static_cast<std::size_t>(found - text.begin());
}

}  // namespace

std::optional<DecodeError> check_topic_name_structure(std::string_view name,
                                                      ProtocolVersion version) {
  if (auto error = check_length(name, version, DecodeErrorKind::invalid_topic_name, "topic name")) {
    return error;
  }
  const std::size_t wildcard = find_wildcard(name);
  if (wildcard != std::string_view::npos) {
    return topic_error(
        DecodeErrorKind::wildcard_in_topic_name, version,
        by_version(version, "MQTT-4.7.1-1", "MQTT-4.7.0-1"),
        "topic name \"" + std::string{name} + "\" contains the wildcard '" + name[wildcard] + "'",
        wildcard);
  }
  return std::nullopt;
}

std::optional<DecodeError> check_topic_filter_structure(std::string_view filter,
                                                        ProtocolVersion version) {
  if (auto error =
          check_length(filter, version, DecodeErrorKind::invalid_topic_filter, "topic filter")) {
    return error;
  }
  if (version == ProtocolVersion::v5_0 && is_shared_subscription(filter)) {
    const std::string_view rest = filter.substr(kSharePrefix.size());
    const std::size_t slash = rest.find('/');
    const std::string_view share_name = rest.substr(0, slash);
    if (share_name.empty()) {
      return topic_error(
          DecodeErrorKind::invalid_topic_filter, version, "MQTT-4.8.2-1",
          "shared subscription \"" + std::string{filter} + "\" has an empty ShareName",
          kSharePrefix.size());
    }
    const std::size_t bad = find_wildcard(share_name);
    if (bad != std::string_view::npos) {
      return topic_error(DecodeErrorKind::invalid_topic_filter, version, "MQTT-4.8.2-2",
                         "shared subscription \"" + std::string{filter} +
                             "\" has a ShareName containing '" + share_name[bad] + "'",
                         kSharePrefix.size() + bad);
    }
    if (slash == std::string_view::npos || slash + 1 == rest.size()) {
      return topic_error(DecodeErrorKind::invalid_topic_filter, version, "MQTT-4.8.2-2",
                         "shared subscription \"" + std::string{filter} +
                             "\" has no topic filter after the ShareName",
                         filter.size());
    }
    const std::size_t inner_start = kSharePrefix.size() + slash + 1;
    return check_wildcards(filter.substr(inner_start), version, inner_start);
  }
  return check_wildcards(filter, version, 0);
}

std::optional<DecodeError> validate_topic_name(std::string_view name, ProtocolVersion version) {
  if (auto error = check_utf8(name, version, "topic name")) return error;
  return check_topic_name_structure(name, version);
}

std::optional<DecodeError> validate_topic_filter(std::string_view filter, ProtocolVersion version) {
  if (auto error = check_utf8(filter, version, "topic filter")) return error;
  return check_topic_filter_structure(filter, version);
}

bool topic_matches(std::string_view filter, std::string_view name) {
  // MQTT-4.7.2-1: "#" and "+/..." do not reach "$SYS/..." and the like.
  if (!filter.empty() && (filter.front() == '+' || filter.front() == '#') && !name.empty() &&
      name.front() == '$') {
    return false;
  }
  std::size_t filter_pos = 0;
  std::size_t name_pos = 0;
  while (true) {
    const std::size_t filter_slash = filter.find('/', filter_pos);
    const std::size_t filter_end =
        filter_slash == std::string_view::npos ? filter.size() : filter_slash;
    const std::string_view filter_level = filter.substr(filter_pos, filter_end - filter_pos);
    if (filter_level == "#") return true;

    const std::size_t name_slash = name.find('/', name_pos);
    const std::size_t name_end = name_slash == std::string_view::npos ? name.size() : name_slash;
    const std::string_view name_level = name.substr(name_pos, name_end - name_pos);
    if (filter_level != "+" && filter_level != name_level) return false;

    const bool filter_done = filter_slash == std::string_view::npos;
    const bool name_done = name_slash == std::string_view::npos;
    if (filter_done && name_done) return true;
    // "sport/#" matches "sport": '#' also stands for the parent level.
    if (name_done) return filter.substr(filter_slash + 1) == "#";
    if (filter_done) return false;
    filter_pos = filter_slash + 1;
    name_pos = name_slash + 1;
  }
}

bool is_shared_subscription(std::string_view filter) {
  return filter.substr(0, kSharePrefix.size()) == kSharePrefix;
}

std::optional<SharedSubscription> split_shared_subscription(std::string_view filter) {
  if (!is_shared_subscription(filter)) return std::nullopt;
  if (check_topic_filter_structure(filter, ProtocolVersion::v5_0)) return std::nullopt;
  const std::string_view rest = filter.substr(kSharePrefix.size());
  const std::size_t slash = rest.find('/');
  return SharedSubscription{rest.substr(0, slash), rest.substr(slash + 1)};
}

}  // namespace mqttsim::codec
