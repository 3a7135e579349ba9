#include "oracle/checker.hpp"

#include <algorithm>

namespace mqttsim::oracle {

std::string excerpt(const Observation& seen, TraceIndex first, TraceIndex last,
                    std::size_t lines_max) {
  if (seen.trace == nullptr || seen.trace->empty()) return {};
  last = std::min(last, TraceIndex{seen.trace->size()}.previous());
  std::vector<TraceIndex> shown;
  for (TraceIndex i = first; i <= last; ++i) {
    if (seen.event(i).actor == broker_actor && seen.event(i).kind != trace::EventKind::bytes)
      shown.push_back(i);
  }
  std::string text;
  const auto line = [&](TraceIndex i) {
    text += "  #" + std::to_string(i.value()) + " " + trace::render(seen.event(i)) + "\n";
  };
  if (shown.size() <= lines_max) {
    for (const TraceIndex i : shown) line(i);
    return text;
  }
  const std::size_t head = lines_max / 2;
  for (std::size_t k = 0; k < head; ++k) line(shown[k]);
  text += "  ... " + std::to_string(shown.size() - lines_max) + " events ...\n";
  for (std::size_t k = shown.size() - (lines_max - head); k < shown.size(); ++k) line(shown[k]);
  return text;
}

Violation violation(const Evidence& evidence, std::string check, std::vector<SpecRef> spec,
                    TraceIndex first, TraceIndex last, std::string message) {
  return {.check = std::move(check),
          .spec = std::move(spec),
          .first_event = first.value(),
          .last_event = last.value(),
          .message = std::move(message),
          .excerpt = excerpt(evidence.seen, first, last)};
}

std::string at(TimePoint time) {
  std::string text = to_string(time);  // "1.204500s"
  text.pop_back();
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "s";
}

SpecRef pick(bool v5, std::string_view v311_id, std::string_view v5_id) {
  return v5 ? SpecRef{ProtocolVersion::v5_0, v5_id} : SpecRef{ProtocolVersion::v3_1_1, v311_id};
}

}  // namespace mqttsim::oracle
