// Bad input: what the broker must do when a client sends something that is
// not a valid packet, or a valid packet the protocol forbids there.
//
// The offences judged, per connection (the first one only: after it the
// stream means nothing):
// - a packet that does not decode, breaks the framing, or is not CONNECT
//   though it comes first (ConnectionView::bad_input, read from the bytes
//   at the broker's socket); the codec names the statement it breaks;
// - a second CONNECT on a connection (3.1.1 and 5.0 MQTT-3.1.0-2).
//
// The broker must close the connection (3.1.1 MQTT-4.8.0-1, 5.0
// MQTT-4.13.1-1), promptly: within `close_grace` of receiving the offence.
// Before closing it may send only what the spec allows:
// - a CONNECT that fails: 3.1.1 closes without CONNACK (MQTT-3.1.4-1; no
//   return code fits, MQTT-3.2.2-6), except an unsupported protocol level,
//   which gets CONNACK 0x01 first (MQTT-3.1.2-2); 5.0 may send a CONNACK,
//   whose reason code must then be 0x80 or above (MQTT-3.1.4-1,
//   MQTT-4.13.1-1), and closes after it (MQTT-3.2.2-7). Nothing the client
//   pipelined behind a refused CONNECT is answered or delivered (3.1.1
//   MQTT-3.1.4-5, 5.0 MQTT-3.1.4-6);
// - any other packet: 5.0 may send DISCONNECT, with a reason code of 0x80
//   or above (MQTT-4.13.1-1; a code that is at least 0x80 but not the one
//   §4.13 suggests is a remark, since the choice is a SHOULD). Having sent
//   a code of 0x80 or above the broker must close (MQTT-4.13.2-1).
// And it must not act on the offence or on anything the client sent after
// it: the payload of a bad PUBLISH (a wildcard in the topic, QoS 3, bad
// UTF-8, ...) is never delivered to anyone, no packet received after the
// offence is answered (PUBACK, PUBREC, SUBACK, UNSUBACK, PUBCOMP, PINGRESP
// that match it), and no PUBLISH received after it is forwarded: neither one
// the broker decoded after a second CONNECT nor one that arrived behind a
// bad packet (read here from the bytes that followed it).
// A payload counts as the bad PUBLISH's only when no valid PUBLISH or will
// in the trace carries the same bytes, so a delivery is never pinned on it
// by mistake.
//
// The statements marked judged are the closing rule of the version, the
// statement the codec names for the offence when it binds the receiver (a
// statement only about what a sender puts on the wire is the wire
// checker's), and the rules about what may precede the close. When the run
// ended too soon after the offence, or the client's side closed first, the
// close is not judged (a remark says so).

#include <algorithm>
#include <map>
#include <set>

#include "codec/framer.hpp"
#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;
using T = codec::PacketType;
using K = codec::DecodeErrorKind;

constexpr SpecRef v311_close{V::v3_1_1, "MQTT-4.8.0-1"};
constexpr SpecRef v5_close{V::v5_0, "MQTT-4.13.1-1"};
constexpr SpecRef v5_close_after_code{V::v5_0, "MQTT-4.13.2-1"};
constexpr SpecRef v311_bad_connect{V::v3_1_1, "MQTT-3.1.4-1"};
constexpr SpecRef v5_bad_connect{V::v5_0, "MQTT-3.1.4-1"};
constexpr SpecRef v311_level{V::v3_1_1, "MQTT-3.1.2-2"};
constexpr SpecRef v311_second_connect{V::v3_1_1, "MQTT-3.1.0-2"};
constexpr SpecRef v311_no_fitting_code{V::v3_1_1, "MQTT-3.2.2-6"};
constexpr SpecRef v311_ignore_after_refusal{V::v3_1_1, "MQTT-3.1.4-5"};
constexpr SpecRef v5_ignore_after_refusal{V::v5_0, "MQTT-3.1.4-6"};
constexpr SpecRef v5_close_after_refusal{V::v5_0, "MQTT-3.2.2-7"};
constexpr SpecRef v5_second_connect{V::v5_0, "MQTT-3.1.0-2"};

// "Promptly": a real broker closes at once; a second covers its scheduling
// and the proxy's clock.
constexpr Duration close_grace = Duration::from_s(1);

// Statements the codec cites for inbound errors that bind the receiver:
// their text says what a receiver (or the Server) does with such a packet,
// or the brief of issue 6 names them as the Server's duty on receipt.
bool binds_receiver(SpecRef spec) {
  static const std::set<std::string_view> v311{
      "MQTT-1.5.3-1", "MQTT-1.5.3-2", "MQTT-2.2.2-2",  "MQTT-3.1.2-1",
      "MQTT-3.1.2-2", "MQTT-3.1.2-3", "MQTT-3.3.1-4",  "MQTT-3.3.2-2",
      "MQTT-3.6.1-1", "MQTT-3.8.3-4", "MQTT-3.14.1-1", "MQTT-4.7.1-1",
      "MQTT-4.7.1-2", "MQTT-4.7.1-3", "MQTT-4.7.3-1",  "MQTT-4.7.3-2"};
  static const std::set<std::string_view> v5{
      "MQTT-1.5.4-1",  "MQTT-1.5.4-2",  "MQTT-2.1.3-1", "MQTT-3.1.2-1", "MQTT-3.1.2-2",
      "MQTT-3.1.2-3",  "MQTT-3.3.1-4",  "MQTT-3.3.2-2", "MQTT-3.6.1-1", "MQTT-3.8.3-5",
      "MQTT-3.14.1-1", "MQTT-3.15.1-1", "MQTT-4.7.0-1", "MQTT-4.7.1-1", "MQTT-4.7.1-2",
      "MQTT-4.7.3-1",  "MQTT-4.7.3-2"};
  return (spec.version == V::v5_0 ? v5 : v311).count(spec.id) > 0;
}

// The statements an offence exercises besides the closing rule.
std::vector<SpecRef> statements_of(const BadInput& bad, T type) {
  std::vector<SpecRef> refs;
  const V version = bad.error.spec.version;
  const bool v5 = version == V::v5_0;
  if (binds_receiver(bad.error.spec)) refs.push_back(bad.error.spec);
  const auto add = [&](std::string_view id) {
    const SpecRef ref{version, id};
    for (const SpecRef& r : refs) {
      if (r == ref) return;
    }
    refs.push_back(ref);
  };
  if (bad.error.kind == K::reserved_flags) {
    add(v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-2");
    if (type == T::pubrel) add("MQTT-3.6.1-1");
    if (type == T::disconnect) add("MQTT-3.14.1-1");
    if (type == T::auth && v5) add("MQTT-3.15.1-1");
  }
  if (bad.error.kind == K::wildcard_in_topic_name && type == T::publish) {
    add("MQTT-3.3.2-2");
    add(v5 ? "MQTT-4.7.0-1" : "MQTT-4.7.1-1");
  }
  return refs;
}

// A PUBLISH read leniently from bytes that do not decode: enough to know
// its payload, so a delivery of it can be recognised.
struct LenientPublish {
  std::string topic;
  codec::Bytes payload;
};

std::optional<LenientPublish> read_publish_leniently(const codec::Bytes& bytes, V version) {
  if (bytes.empty() || (bytes[0] >> 4) != static_cast<int>(T::publish)) return std::nullopt;
  const bool has_packet_id = ((bytes[0] >> 1) & 0x03) != 0;
  std::size_t at = 1;
  std::uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (at >= bytes.size() || shift > 21) return std::nullopt;
    const std::uint8_t byte = bytes[at++];
    length |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  const std::size_t end =
      static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), at + length));
  if (at + 2 > end) return std::nullopt;
  const std::size_t topic_length = static_cast<std::size_t>(bytes[at] << 8 | bytes[at + 1]);
  at += 2;
  if (at + topic_length > end) return std::nullopt;
  LenientPublish publish;
  publish.topic.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                       bytes.begin() + static_cast<std::ptrdiff_t>(at + topic_length));
  at += topic_length;
  if (has_packet_id) at += 2;
  if (version == V::v5_0) {
    std::uint64_t properties = 0;
    for (int shift = 0;; shift += 7) {
      if (at >= end || shift > 21) return std::nullopt;
      const std::uint8_t byte = bytes[at++];
      properties |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
    }
    at += static_cast<std::size_t>(properties);
  }
  if (at > end) return std::nullopt;
  publish.payload.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                         bytes.begin() + static_cast<std::ptrdiff_t>(end));
  return publish;
}

// The packets that arrived behind the bad one (as far as they decode), which
// the broker must ignore.
std::vector<codec::Packet> packets_behind(const BadInput& bad, V version) {
  std::vector<codec::Packet> behind;
  const codec::Bytes& bytes = bad.bytes;
  std::size_t at = 1;
  std::uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (at >= bytes.size() || shift > 21) return behind;
    const std::uint8_t byte = bytes[at++];
    length |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (at + length >= bytes.size()) return behind;
  codec::StreamFramer framer;
  framer.feed(codec::ByteView{bytes}.subspan(static_cast<std::size_t>(at + length)));
  for (auto frame = framer.next(); frame.has_item(); frame = framer.next()) {
    auto packet = codec::decode(frame.item().bytes, version);
    if (!packet) break;
    behind.push_back(std::move(*packet));
  }
  return behind;
}

// How many valid publications (PUBLISH received, wills declared) carry
// each payload.
std::map<codec::Bytes, std::size_t> valid_payloads(const Observation& seen) {
  std::map<codec::Bytes, std::size_t> count;
  for (const ConnectionView& c : seen.connections) {
    for (const SeenPacket& p : c.packets) {
      if (!p.from_client()) continue;
      if (const auto* publish = std::get_if<codec::Publish>(&p.packet)) ++count[publish->payload];
      if (const auto* connect = std::get_if<codec::Connect>(&p.packet); connect && connect->will) {
        ++count[connect->will->payload];
      }
    }
  }
  return count;
}

// The first PUBLISH the broker sent, after `after`, carrying `payload`.
const SeenPacket* delivered_after(const Observation& seen, TraceIndex after,
                                  const codec::Bytes& payload, std::string& to) {
  const SeenPacket* first = nullptr;
  for (const ConnectionView& c : seen.connections) {
    for (const SeenPacket& p : c.packets) {
      if (!p.to_client() || p.index <= after) continue;
      const auto* publish = std::get_if<codec::Publish>(&p.packet);
      if (publish == nullptr || publish->payload != payload) continue;
      if (first == nullptr || p.index < first->index) {
        first = &p;
        to = c.client_id();
      }
    }
  }
  return first;
}

std::string quoted_payload(const codec::Bytes& payload) {
  std::string text = "\"";
  for (const std::uint8_t byte : payload) {
    if (text.size() > 40) {
      text += "...";
      break;
    }
    text += (byte >= 0x20 && byte < 0x7F) ? static_cast<char>(byte) : '?';
  }
  return text + "\"";
}

// Whether a reason code "fits" the offence (5.0 §4.13: 0x81 or 0x82 unless
// a more specific one is defined; the codec's own choice is one of them).
bool fitting_code(std::uint8_t code, const codec::DecodeError* error) {
  if (code == 0x81 || code == 0x82) return true;
  if (error == nullptr) return false;
  if (code == static_cast<std::uint8_t>(error->reason)) return true;
  switch (error->kind) {
    case K::invalid_protocol_name:
    case K::unsupported_protocol_level:
      return code == 0x84;
    case K::wildcard_in_topic_name:
    case K::invalid_topic_name:
      return code == 0x90;
    case K::invalid_topic_filter:
      return code == 0x8F;
    case K::packet_too_large:
      return code == 0x95;
    default:
      return false;
  }
}

// One offence on one connection.
struct Offence {
  TraceIndex index;  // where the broker had it
  TimePoint time;
  V version = V::v3_1_1;
  std::string what;               // "a PUBLISH with QoS 3 (MQTT-3.3.1-4 ...)"
  std::vector<SpecRef> refs;      // statements exercised besides the close rule
  const BadInput* bad = nullptr;  // a decode error, or nullptr for a second CONNECT
  bool in_connect = false;        // the offence is the connection's (first) CONNECT
};

class BadInputChecker final : public Checker {
 public:
  std::string_view name() const override { return "bad-input"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const std::map<codec::Bytes, std::size_t> payloads = valid_payloads(e.seen);
    for (const ConnectionView& c : e.seen.connections) {
      if (const auto offence = find_offence(c)) judge_one(e, c, *offence, payloads, verdict);
    }
  }

 private:
  static std::optional<Offence> find_offence(const ConnectionView& c) {
    // A second CONNECT decodes, so it shows as a packet; bad input stops the
    // stream. The earlier of the two is the offence.
    std::optional<Offence> second;
    if (c.connect) {
      for (const PacketPosition i : c.packets.indices_from(c.connect->next())) {
        const SeenPacket& p = c.packets[i];
        if (!p.from_client() || codec::type_of(p.packet) != T::connect) continue;
        const bool v5 = c.version == V::v5_0;
        second = Offence{.index = p.index,
                         .time = p.time,
                         .version = c.version,
                         .what = "a second CONNECT",
                         .refs = {v5 ? v5_second_connect : v311_second_connect}};
        break;
      }
    }
    if (c.bad_input && (!second || c.bad_input->index < second->index)) {
      const BadInput& bad = *c.bad_input;
      const T type = bad.bytes.empty() ? T::connect : static_cast<T>(bad.bytes[0] >> 4);
      // The reader stops at bad input, so a CONNECT that decoded came first.
      const bool in_connect = !c.connect && type == T::connect;
      std::vector<SpecRef> refs = statements_of(bad, type);
      if (in_connect) {
        const bool level =
            bad.error.kind == K::unsupported_protocol_level && bad.error.spec.version == V::v3_1_1;
        refs.push_back(
            level ? v311_level
                  : (bad.error.spec.version == V::v5_0 ? v5_bad_connect : v311_bad_connect));
        // No return code of Table 3.1 fits a malformed CONNECT: no CONNACK.
        if (!level && bad.error.spec.version == V::v3_1_1) refs.push_back(v311_no_fitting_code);
      }
      return Offence{
          .index = bad.index,
          .time = bad.time,
          .version = bad.error.spec.version,
          .what = "bytes that are not a valid packet (" + codec::to_string(bad.error) + ")",
          .refs = std::move(refs),
          .bad = &bad,
          .in_connect = in_connect};
    }
    return second;
  }

  static void judge_one(const Evidence& e, const ConnectionView& c, const Offence& o,
                        const std::map<codec::Bytes, std::size_t>& payloads, Verdict& verdict) {
    const bool v5 = o.version == V::v5_0;
    const SpecRef close_rule = v5 ? v5_close : v311_close;
    const std::string who =
        c.client_id().empty() ? std::string{"a client"} : "client \"" + c.client_id() + "\"";
    const std::string sent = who + " sent " + o.what + " at " + at(o.time);
    const auto report = [&](std::vector<SpecRef> rules, TraceIndex last, std::string text) {
      verdict.violations.push_back(
          violation(e, "bad-input", std::move(rules), o.index, last, std::move(text)));
    };
    const auto with = [&](SpecRef rule) {
      std::vector<SpecRef> rules{rule};
      for (const SpecRef& r : o.refs) {
        if (!(r == rule)) rules.push_back(r);
      }
      return rules;
    };

    // 1. What the broker sent on this connection after the offence and
    // before the close.
    const TraceIndex until = c.closed_index.value_or(e.seen.end_index);
    const bool level_311 =
        o.in_connect && !v5 && o.bad->error.kind == K::unsupported_protocol_level;
    const SeenPacket* connack = nullptr;
    bool refusal_code = false;  // 5.0: a CONNACK or DISCONNECT with a code of 0x80 or above
    bool refused_by_connack = false;
    bool judged = false;
    for (const SeenPacket& p : c.packets) {
      if (!p.to_client() || p.index <= o.index || p.index > until) continue;
      if (const auto* ack = std::get_if<codec::Connack>(&p.packet)) {
        if (connack == nullptr) connack = &p;
        judged = true;
        if (!o.in_connect) {
          report(with(close_rule), p.index,
                 sent + ", and the broker answered with a CONNACK (code " +
                     std::to_string(ack->code) + ") at " + at(p.time) + " instead of closing");
        } else if (level_311 || o.bad->error.kind == K::invalid_protocol_name) {
          // A broker that speaks 5.0 too may answer a CONNECT of no version
          // it knows in the 5.0 way (5.0 MQTT-3.1.2-1, -2: CONNACK 0x84).
          if (ack->code == 0x84) {
            verdict.remarks.push_back(
                {"bad-input", sent + "; the broker refused it with the 5.0 CONNACK 0x84"});
          } else if (!level_311) {
            report(with(v311_bad_connect), p.index,
                   sent + ", and the broker answered CONNACK code " + std::to_string(ack->code) +
                       " at " + at(p.time) +
                       " (a CONNECT that does not conform is closed without CONNACK)");
          } else if (ack->code != 0x01) {
            report(with(v311_level), p.index,
                   sent + ", and the broker answered CONNACK code " + std::to_string(ack->code) +
                       " at " + at(p.time) + " (it must be 0x01, unacceptable protocol level)");
          }
        } else if (!v5) {
          report(with(v311_bad_connect), p.index,
                 sent + ", and the broker answered CONNACK code " + std::to_string(ack->code) +
                     " at " + at(p.time) +
                     " (a CONNECT that does not conform is closed without CONNACK)");
        } else {
          const bool refused =
              judge_code(e, verdict, o, ack->code, "CONNACK", p, sent, with(v5_bad_connect));
          refusal_code = refusal_code || refused;
          refused_by_connack = refused_by_connack || refused;
        }
      } else if (const auto* disconnect = std::get_if<codec::Disconnect>(&p.packet);
                 disconnect && v5) {
        judged = true;
        refusal_code = judge_code(e, verdict, o, static_cast<std::uint8_t>(disconnect->reason_code),
                                  "DISCONNECT", p, sent, with(close_rule)) ||
                       refusal_code;
      }
    }

    // 2. The close.
    std::vector<SpecRef> close_rules = with(close_rule);
    if (refusal_code) close_rules.push_back(v5_close_after_code);
    if (refused_by_connack) close_rules.push_back(v5_close_after_refusal);
    const TimePoint deadline = o.time + close_grace;
    const bool broker_closed = c.closed_index && (c.close_reason == trace::CloseReason::graceful ||
                                                  c.close_reason == trace::CloseReason::aborted);
    bool close_judged = false;
    if (c.closed_index && !broker_closed && *c.closed_at <= deadline) {
      verdict.remarks.push_back({"bad-input", sent + "; the connection ended from the client's "
                                                     "side or the network's before the broker "
                                                     "closed it: its close is not judged"});
    } else if (c.closed_index || e.seen.end_time >= deadline) {
      close_judged = true;
      if (!c.closed_index || *c.closed_at > deadline) {
        report(close_rules, c.closed_index.value_or(e.seen.end_index.previous()),
               sent + ", and the broker " +
                   (c.closed_index ? "closed the connection only at " + at(*c.closed_at)
                                   : std::string{"never closed the connection"}) +
                   " (it must close it at once)");
      } else if (level_311 && connack == nullptr && unreadable_connack(e.seen, c, o.index)) {
        verdict.remarks.push_back({"bad-input", sent + "; the broker answered with a CONNACK "
                                                       "that does not read as 3.1.1 (the 5.0 "
                                                       "form?), so its code is not judged"});
      } else if (level_311 && connack == nullptr) {
        report(with(v311_level), *c.closed_index,
               sent +
                   ", and the broker closed the connection without CONNACK 0x01 "
                   "(unacceptable protocol level)");
      }
    } else {
      verdict.remarks.push_back(
          {"bad-input", sent + "; the run ended within " + at(TimePoint{} + close_grace) +
                            " of it, so whether the broker closed the connection is not judged"});
    }
    if (close_judged && refusal_code) verdict.judge(v5_close_after_code);
    if (close_judged && refused_by_connack) verdict.judge(v5_close_after_refusal);
    judged = judged || close_judged;

    // 3. Acting on the offence, or on what came after it.
    if (o.bad != nullptr) {
      const std::vector<codec::Packet> behind = packets_behind(*o.bad, o.version);
      if (o.in_connect && !behind.empty()) {
        // Nothing the client pipelined behind a refused CONNECT is processed:
        // until a CONNACK accepts it, the broker sends nothing but CONNACK
        // (5.0: or AUTH) and delivers none of its messages.
        const SpecRef ignore = v5 ? v5_ignore_after_refusal : v311_ignore_after_refusal;
        if (close_judged) verdict.judge(ignore);
        for (const SeenPacket& p : c.packets) {
          const T type = codec::type_of(p.packet);
          if (!p.to_client() || p.index <= o.index || type == T::connack || type == T::auth) {
            continue;
          }
          report(with(ignore), p.index,
                 sent + " and more behind it, and the broker answered with " +
                     std::string{codec::to_string(type)} + " at " + at(p.time));
          break;
        }
      }
      for (const codec::Packet& packet : behind) {
        const auto* publish = std::get_if<codec::Publish>(&packet);
        if (publish == nullptr || publish->payload.empty() || payloads.count(publish->payload)) {
          continue;
        }
        judged = true;
        std::string to;
        if (const SeenPacket* p = delivered_after(e.seen, o.index, publish->payload, to)) {
          std::vector<SpecRef> rules = with(close_rule);
          if (o.in_connect)
            rules.push_back(v5 ? v5_ignore_after_refusal : v311_ignore_after_refusal);
          report(std::move(rules), p->index,
                 sent + ", and the broker forwarded the PUBLISH " +
                     quoted_payload(publish->payload) + " that arrived behind it to " +
                     (to.empty() ? std::string{"a client"} : "client \"" + to + "\"") + " at " +
                     at(p->time));
          break;
        }
      }
      if (const auto publish = read_publish_leniently(o.bad->bytes, o.version);
          publish && !publish->payload.empty() && !payloads.count(publish->payload)) {
        judged = true;
        std::string to;
        if (const SeenPacket* p = delivered_after(e.seen, o.index, publish->payload, to)) {
          report(with(close_rule), p->index,
                 sent + ", and the broker delivered its payload " +
                     quoted_payload(publish->payload) + " (topic \"" + publish->topic + "\") to " +
                     (to.empty() ? std::string{"a client"} : "client \"" + to + "\"") + " at " +
                     at(p->time));
        }
      }
    }
    for (const SeenPacket& later : c.packets) {
      if (!later.from_client() || later.index <= o.index) continue;
      judged = true;
      if (const SeenPacket* answer = answer_to(c, later)) {
        report(with(close_rule), answer->index,
               sent + ", and the broker went on to answer its " +
                   std::string{codec::to_string(codec::type_of(later.packet))} + " of " +
                   at(later.time) + " with " +
                   std::string{codec::to_string(codec::type_of(answer->packet))} + " at " +
                   at(answer->time));
        break;
      }
      const auto* publish = std::get_if<codec::Publish>(&later.packet);
      if (publish == nullptr || publish->payload.empty()) continue;
      const auto found = payloads.find(publish->payload);
      if (found == payloads.end() || found->second != 1) continue;
      std::string to;
      if (const SeenPacket* p = delivered_after(e.seen, later.index, publish->payload, to)) {
        report(with(close_rule), p->index,
               sent + ", and the broker forwarded the PUBLISH " + quoted_payload(publish->payload) +
                   " it sent after that, at " + at(later.time) + ", to " +
                   (to.empty() ? std::string{"a client"} : "client \"" + to + "\""));
        break;
      }
    }

    if (judged) {
      verdict.judge(close_rule);
      for (const SpecRef& ref : o.refs) verdict.judge(ref);
    }
  }

  // A 5.0 CONNACK or DISCONNECT the broker sent after the offence: its code
  // must be 0x80 or above, and then the connection must close.
  // Returns whether the code was 0x80 or above.
  static bool judge_code(const Evidence& e, Verdict& verdict, const Offence& o, std::uint8_t code,
                         std::string_view packet, const SeenPacket& p, const std::string& sent,
                         std::vector<SpecRef> rules) {
    for (const SpecRef& rule : rules) verdict.judge(rule);
    if (code < 0x80) {
      verdict.violations.push_back(violation(
          e, "bad-input", std::move(rules), o.index, p.index,
          sent + ", and the broker answered " + std::string{packet} + " with reason code " +
              std::to_string(code) + " at " + at(p.time) + " (it must be 0x80 or above)"));
      return false;
    }
    if (!fitting_code(code, o.bad != nullptr ? &o.bad->error : nullptr)) {
      verdict.remarks.push_back({"bad-input", sent + "; the broker's " + std::string{packet} +
                                                  " carried reason code " + std::to_string(code) +
                                                  ", where 0x81 or 0x82 (or a more specific "
                                                  "code of §3.14.2.1) was expected"});
    }
    return true;
  }

  // Whether the broker sent on `c`, after `after`, bytes of packet type
  // CONNACK that did not decode as the connection's version (a 5.0 CONNACK
  // read as 3.1.1, say).
  static bool unreadable_connack(const Observation& seen, const ConnectionView& c,
                                 TraceIndex after) {
    for (const MalformedPacket& m : seen.malformed) {
      if (m.direction != trace::Direction::broker_to_client || m.index <= after) continue;
      if (seen.connections[m.connection].id != c.id) continue;
      const auto& bytes = seen.event(m.index).bytes;
      if (!bytes.empty() && (bytes[0] >> 4) == static_cast<int>(T::connack)) return true;
    }
    return false;
  }

  // The broker's answer to a packet the client sent, if it sent one after it.
  static const SeenPacket* answer_to(const ConnectionView& c, const SeenPacket& request) {
    const T type = codec::type_of(request.packet);
    std::optional<std::uint16_t> id;
    std::set<T> answers;
    if (const auto* publish = std::get_if<codec::Publish>(&request.packet)) {
      if (publish->qos == codec::QoS::at_most_once) return nullptr;
      id = publish->packet_id;
      answers = {T::puback, T::pubrec};
    } else if (const auto* subscribe = std::get_if<codec::Subscribe>(&request.packet)) {
      id = subscribe->packet_id;
      answers = {T::suback};
    } else if (const auto* unsubscribe = std::get_if<codec::Unsubscribe>(&request.packet)) {
      id = unsubscribe->packet_id;
      answers = {T::unsuback};
    } else if (const auto* pubrel = std::get_if<codec::Pubrel>(&request.packet)) {
      id = pubrel->packet_id;
      answers = {T::pubcomp};
    } else if (type == T::pingreq) {
      answers = {T::pingresp};
    } else {
      return nullptr;
    }
    for (const SeenPacket& p : c.packets) {
      if (!p.to_client() || p.index <= request.index) continue;
      const T answer = codec::type_of(p.packet);
      if (!answers.count(answer)) continue;
      if (!id) return &p;
      if (packet_id_of(p.packet) == id) return &p;
    }
    return nullptr;
  }

  static std::optional<std::uint16_t> packet_id_of(const codec::Packet& packet) {
    return std::visit(
        [](const auto& p) -> std::optional<std::uint16_t> {
          if constexpr (requires { p.packet_id; }) {
            return static_cast<std::uint16_t>(p.packet_id);
          } else {
            return std::nullopt;
          }
        },
        packet);
  }
};

}  // namespace

std::unique_ptr<Checker> bad_input_checker() { return std::make_unique<BadInputChecker>(); }

}  // namespace mqttsim::oracle
