// Message expiry (5.0 §3.3.2.3.3): a message whose Message Expiry Interval
// ran out before the broker started its onward delivery to a subscriber is
// not delivered to that subscriber (5.0 MQTT-3.3.2-5), and every PUBLISH the
// broker forwards carries the interval it received minus the time the
// message waited in the broker (5.0 MQTT-3.3.2-6).
//
// The wait is measured on the broker's own clock: from the PUBLISH it
// received (its last resend, for the shortest possible wait; its first, for
// the longest) to the PUBLISH it sent. Onward delivery to a session starts
// with the first PUBLISH of the message to it; later copies to the same
// session (resends after a reconnect) may go out after the expiry
// (MQTT-4.3.3-7 forbids expiring a QoS 2 message once sent), and need only
// carry a plausible interval. Brokers count in whole seconds, so every
// bound has a second of slack. Wills are left to the will checker (their
// interval starts when the will is published, which the trace does not
// show); messages whose topic and payload are not unique are not judged.

#include <algorithm>
#include <map>
#include <utility>
#include <variant>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_expired{ProtocolVersion::v5_0, "MQTT-3.3.2-5"};
constexpr SpecRef v5_reduced{ProtocolVersion::v5_0, "MQTT-3.3.2-6"};

constexpr std::int64_t slack_us = 1'000'000;

std::string seconds(std::int64_t us) { return at(TimePoint::from_us(us)); }

class MessageExpiry final : public Checker {
 public:
  std::string_view name() const override { return "message-expiry"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    // (publication, session) -> the time its onward delivery started. The
    // session is the delivery's epoch, or its connection when it had none.
    using Session = std::variant<EpochIndex, ConnectionIndex>;
    std::map<std::pair<PublicationIndex, Session>, TimePoint> started;
    for (const Delivery& d : e.messages.deliveries) {
      if (!d.publication) continue;
      const Publication& p = e.messages.publications[*d.publication];
      const auto interval = p.publish.properties.message_expiry_interval;
      if (p.is_will || !interval) continue;
      const std::int64_t interval_us = static_cast<std::int64_t>(*interval) * 1'000'000;
      const TimePoint received_first = time_of(e, p.first_index);
      const TimePoint received_last =
          time_of(e, p.resends.empty() ? p.first_index : p.resends.back());
      const TimePoint sent = time_of(e, d.index);
      const ConnectionView& c = e.seen.connections[d.connection];
      const std::string who = "client \"" + c.client_id() + "\"";
      const std::string what = "message " + describe(p.publish) + " (Message Expiry Interval " +
                               std::to_string(*interval) + "s, received at " + at(received_first) +
                               ")";
      const Session session = d.epoch ? Session{*d.epoch} : Session{d.connection};
      const auto [first, is_first] = started.try_emplace({*d.publication, session}, sent);

      // Remaining interval bounds, in microseconds.
      const std::int64_t most_us =
          interval_us - (first->second - received_last).count_us() + slack_us;
      const std::int64_t least_us = interval_us - (sent - received_first).count_us() - slack_us;
      if (is_first) {
        verdict.judge(v5_expired);
        const std::int64_t waited_us = (sent - received_last).count_us();
        if (waited_us >= interval_us + slack_us) {
          verdict.violations.push_back(
              violation(e, "message-expiry", {v5_expired}, p.first_index, d.index,
                        what + " was sent to " + who + " at " + at(sent) + ", " +
                            seconds(waited_us) + " after it arrived: it had expired at " +
                            at(received_last + Duration::from_us(interval_us)) +
                            " and its delivery to that session had not started"));
          continue;
        }
      }
      if (c.version != ProtocolVersion::v5_0) continue;
      verdict.judge(v5_reduced);
      const auto forwarded = d.publish().properties.message_expiry_interval;
      if (!forwarded) {
        verdict.violations.push_back(violation(e, "message-expiry", {v5_reduced}, p.first_index,
                                               d.index,
                                               what + " was sent to " + who + " at " + at(sent) +
                                                   " without a Message Expiry Interval"));
        continue;
      }
      const std::int64_t forwarded_us = static_cast<std::int64_t>(*forwarded) * 1'000'000;
      if (forwarded_us > most_us || forwarded_us < least_us) {
        const std::int64_t waited_us = (sent - received_first).count_us();
        verdict.violations.push_back(violation(
            e, "message-expiry", {v5_reduced}, p.first_index, d.index,
            what + " was sent to " + who + " at " + at(sent) + " with Message Expiry Interval " +
                std::to_string(*forwarded) + "s; after waiting " + seconds(waited_us) +
                " it should have carried about " +
                std::to_string(std::max<std::int64_t>(0, interval_us - waited_us) / 1'000'000) +
                "s (" + (is_first ? "first attempt" : "a resend") + ")"));
      }
    }
  }

 private:
  static TimePoint time_of(const Evidence& e, TraceIndex index) { return e.seen.event(index).time; }
};

}  // namespace

std::unique_ptr<Checker> message_expiry_checker() { return std::make_unique<MessageExpiry>(); }

}  // namespace mqttsim::oracle
