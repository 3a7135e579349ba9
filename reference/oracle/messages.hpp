#pragma once
// Application messages as the broker handled them. A *publication* is one
// message a client published (its first PUBLISH, and the resends of a QoS
// 1/2 message with DUP=1 and the same packet id before the broker's
// acknowledgement), or the will of a connection. A *delivery* is one
// PUBLISH the broker sent to a client.
//
// Deliveries are matched to publications by topic and payload: scenario
// payloads are numbered ("m{n}"), so a pair names one message. Where two
// publications share topic and payload, deliveries of that pair stay
// unmatched and the checkers that need identity leave them alone (they
// say so in a remark) rather than guess.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "oracle/observation.hpp"
#include "oracle/sessions.hpp"

namespace mqttsim::oracle {

struct Publication {
  std::string publisher;       // client id ("" for a will of a connection without one)
  ConnectionIndex connection;  // where it was first received
  std::optional<EpochIndex> epoch;
  codec::Publish publish;  // the first attempt (packet id and DUP as received)
  TraceIndex first_index;
  std::vector<TraceIndex> resends;  // PUBLISH with DUP=1 of the same message
  // PUBACK, or PUBREC below 0x80, sent. None for a QoS 2 PUBLISH under a
  // packet id whose earlier QoS 2 message the session had not yet seen
  // released (no PUBREL): the broker answers PUBREC for that message and
  // must not deliver it again (3.1.1 MQTT-4.3.3-2, 5.0 MQTT-4.3.3-10), so
  // it may take this one for it and never owns it.
  std::optional<TraceIndex> acked_index;
  bool is_will = false;
  // The topic/payload pair is shared with another publication.
  bool ambiguous = false;
};

struct Delivery {
  TraceIndex index;  // the PUBLISH
  ConnectionIndex connection;
  std::optional<EpochIndex> epoch;
  // The PUBLISH as the observation holds it, not a copy: there is one
  // delivery per packet the broker sent, so a copy would double the
  // oracle's memory on a long run.
  const codec::Publish* sent = nullptr;
  std::optional<PublicationIndex> publication;  // matched, unless ambiguous or a phantom

  const codec::Publish& publish() const { return *sent; }
};

struct Messages {
  IndexedVector<PublicationIndex, Publication> publications;  // in order of first receipt
  IndexedVector<DeliveryIndex, Delivery> deliveries;          // in trace order
};

// The deliveries point into `seen`, which must outlive the result.
Messages messages(const Observation& seen, const Sessions& sessions);

// The publisher's first PUBREL for `packet_id` after trace index `after`,
// on the connections of its session epoch.
std::optional<TraceIndex> client_pubrel(const Observation& seen, const SessionEpoch& epoch,
                                        std::uint16_t packet_id, TraceIndex after);

// "t/a \"m7\"" for reports (payload quoted, cut when long).
std::string describe(const codec::Publish& publish);

}  // namespace mqttsim::oracle
