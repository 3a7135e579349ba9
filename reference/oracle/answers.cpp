#include "oracle/answers.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>

namespace mqttsim::oracle {

namespace {

enum class Answer : std::uint8_t { puback, pubrec, pubrel, pubcomp, suback, unsuback, pingresp };
using Awaited = std::pair<Answer, std::uint16_t>;  // the answer and its packet id

// The answer the broker owes to a client packet, if it owes one.
std::optional<Awaited> awaited_answer(const codec::Packet& packet) {
  if (const auto* publish = std::get_if<codec::Publish>(&packet)) {
    if (publish->qos == codec::QoS::at_least_once) return Awaited{Answer::puback, publish->packet_id};
    if (publish->qos == codec::QoS::exactly_once) return Awaited{Answer::pubrec, publish->packet_id};
    return std::nullopt;
  }
  if (const auto* rec = std::get_if<codec::Pubrec>(&packet)) {
    return Awaited{Answer::pubrel, rec->packet_id};
  }
  if (const auto* rel = std::get_if<codec::Pubrel>(&packet)) {
    return Awaited{Answer::pubcomp, rel->packet_id};
  }
  if (const auto* sub = std::get_if<codec::Subscribe>(&packet)) {
    return Awaited{Answer::suback, sub->packet_id};
  }
  if (const auto* unsub = std::get_if<codec::Unsubscribe>(&packet)) {
    return Awaited{Answer::unsuback, unsub->packet_id};
  }
  if (std::holds_alternative<codec::Pingreq>(packet)) return Awaited{Answer::pingresp, 0};
  return std::nullopt;
}

// What a broker packet answers, if it is an answer.
std::optional<Awaited> answer_of(const codec::Packet& packet) {
  if (const auto* ack = std::get_if<codec::Puback>(&packet)) {
    return Awaited{Answer::puback, ack->packet_id};
  }
  if (const auto* rec = std::get_if<codec::Pubrec>(&packet)) {
    return Awaited{Answer::pubrec, rec->packet_id};
  }
  if (const auto* rel = std::get_if<codec::Pubrel>(&packet)) {
    return Awaited{Answer::pubrel, rel->packet_id};
  }
  if (const auto* comp = std::get_if<codec::Pubcomp>(&packet)) {
    return Awaited{Answer::pubcomp, comp->packet_id};
  }
  if (const auto* ack = std::get_if<codec::Suback>(&packet)) {
    return Awaited{Answer::suback, ack->packet_id};
  }
  if (const auto* ack = std::get_if<codec::Unsuback>(&packet)) {
    return Awaited{Answer::unsuback, ack->packet_id};
  }
  if (std::holds_alternative<codec::Pingresp>(packet)) return Awaited{Answer::pingresp, 0};
  return std::nullopt;
}

}  // namespace

std::optional<TraceIndex> answered_by(const ConnectionView& c, TraceIndex from) {
  std::set<Awaited> awaited;  // owed to client packets from `from` on
  for (auto p = c.packets_from(from); p != c.packets.end(); ++p) {
    if (p->from_client()) {
      if (const auto owed = awaited_answer(p->packet)) awaited.insert(*owed);
    } else if (const auto answer = answer_of(p->packet); answer && awaited.contains(*answer)) {
      return p->index;
    }
  }
  return std::nullopt;
}

const ConnectionView* connection_holding(const Observation& seen,
                                         const std::vector<ConnectionIndex>& candidates,
                                         TraceIndex index) {
  for (const ConnectionIndex ci : candidates) {
    const ConnectionView& c = seen.connections[ci];
    const auto p = c.packets_from(index);
    if (p != c.packets.end() && p->index == index) return &c;
  }
  return nullptr;
}

}  // namespace mqttsim::oracle
