// Properties forwarded unaltered (5.0 §3.3.2.3): every PUBLISH the broker
// sends for a message carries the Payload Format Indicator (5.0
// MQTT-3.3.2-4), Response Topic (MQTT-3.3.2-15), Correlation Data
// (MQTT-3.3.2-16) and Content Type (MQTT-3.3.2-20) the publisher gave it,
// unchanged, and all its User Properties (MQTT-3.3.2-17) in their original
// order (MQTT-3.3.2-18).
//
// A statement is judged for a delivery whose message carried the property
// (for the order, at least two User Properties). A property the delivery
// carries that the message did not is reported too: it was altered. A
// Payload Format Indicator of 0 is the same as none (§3.3.2.3.2 makes 0 the
// meaning of an absent one). User Properties the broker adds to those of
// the message are not forbidden by the statements and draw a remark only.
// Wills are left to the will checker; messages whose topic and payload are
// not unique are not judged.

#include <algorithm>

#include "codec/print.hpp"
#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_payload_format{ProtocolVersion::v5_0, "MQTT-3.3.2-4"};
constexpr SpecRef v5_response_topic{ProtocolVersion::v5_0, "MQTT-3.3.2-15"};
constexpr SpecRef v5_correlation_data{ProtocolVersion::v5_0, "MQTT-3.3.2-16"};
constexpr SpecRef v5_user_all{ProtocolVersion::v5_0, "MQTT-3.3.2-17"};
constexpr SpecRef v5_user_order{ProtocolVersion::v5_0, "MQTT-3.3.2-18"};
constexpr SpecRef v5_content_type{ProtocolVersion::v5_0, "MQTT-3.3.2-20"};

template <typename Optional, typename Show>  // std::optional or codec::BoxedOptional
std::string shown(const Optional& value, Show show) {
  return value ? show(*value) : std::string{"none"};
}

std::string show_text(const std::string& text) { return codec::quote(text); }
std::string show_bytes(const codec::Bytes& bytes) { return codec::describe_payload(bytes); }
std::string show_number(std::uint8_t value) { return std::to_string(value); }

std::string show_users(const std::vector<codec::UserProperty>& list) {
  std::string text = "[";
  for (const codec::UserProperty& p : list) {
    if (text.size() > 1) text += ", ";
    text += codec::quote(p.name) + ": " + codec::quote(p.value);
  }
  return text + "]";
}

// Is `part` a subsequence of `whole` (every element, in order, others between)?
bool in_order_within(const std::vector<codec::UserProperty>& part,
                     const std::vector<codec::UserProperty>& whole) {
  std::size_t next = 0;
  for (const codec::UserProperty& p : whole) {
    if (next < part.size() && p == part[next]) ++next;
  }
  return next == part.size();
}

// Does `whole` hold every element of `part`, as many times as `part` does?
bool all_within(const std::vector<codec::UserProperty>& part,
                const std::vector<codec::UserProperty>& whole) {
  for (const codec::UserProperty& p : part) {
    if (std::count(part.begin(), part.end(), p) > std::count(whole.begin(), whole.end(), p))
      return false;
  }
  return true;
}

class ForwardedProperties final : public Checker {
 public:
  std::string_view name() const override { return "forwarded-properties"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const Delivery& d : e.messages.deliveries) {
      if (!d.publication) continue;
      const ConnectionView& c = e.seen.connections[d.connection];
      if (c.version != ProtocolVersion::v5_0) continue;
      const Publication& p = e.messages.publications[*d.publication];
      if (p.is_will) continue;
      const codec::Properties& sent = p.publish.properties;
      const codec::Properties& got = d.publish().properties;
      const std::string head = "message " + describe(p.publish) + " from client \"" + p.publisher +
                               "\" reached client \"" + c.client_id() + "\" at " +
                               at(e.seen.event(d.index).time) + " with ";
      const auto report = [&](SpecRef rule, const std::string& property, const std::string& was,
                              const std::string& now) {
        verdict.violations.push_back(
            violation(e, "forwarded-properties", {rule}, p.first_index, d.index,
                      head + property + " " + now + "; it was published with " + was));
      };

      if (sent.payload_format_indicator) verdict.judge(v5_payload_format);
      if (sent.payload_format_indicator.value_or(0) != got.payload_format_indicator.value_or(0)) {
        report(v5_payload_format, "Payload Format Indicator",
               shown(sent.payload_format_indicator, show_number),
               shown(got.payload_format_indicator, show_number));
      }
      if (sent.response_topic) verdict.judge(v5_response_topic);
      if (sent.response_topic != got.response_topic) {
        report(v5_response_topic, "Response Topic", shown(sent.response_topic, show_text),
               shown(got.response_topic, show_text));
      }
      if (sent.correlation_data) verdict.judge(v5_correlation_data);
      if (sent.correlation_data != got.correlation_data) {
        report(v5_correlation_data, "Correlation Data", shown(sent.correlation_data, show_bytes),
               shown(got.correlation_data, show_bytes));
      }
      if (sent.content_type) verdict.judge(v5_content_type);
      if (sent.content_type != got.content_type) {
        report(v5_content_type, "Content Type", shown(sent.content_type, show_text),
               shown(got.content_type, show_text));
      }
      const auto& users_sent = sent.user_properties;
      const auto& users_got = got.user_properties;
      if (!users_sent.empty()) verdict.judge(v5_user_all);
      if (users_sent.size() > 1) verdict.judge(v5_user_order);
      if (users_sent == users_got) continue;
      if (!all_within(users_sent, users_got)) {
        report(v5_user_all, "User Properties", show_users(users_sent), show_users(users_got));
      } else if (!in_order_within(users_sent, users_got)) {
        report(v5_user_order, "User Properties", show_users(users_sent), show_users(users_got));
      } else {
        verdict.remarks.push_back(
            {"forwarded-properties", head + "User Properties " + show_users(users_got) +
                                         ", more than the " + show_users(users_sent) +
                                         " it was published with"});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Checker> forwarded_properties_checker() {
  return std::make_unique<ForwardedProperties>();
}

}  // namespace mqttsim::oracle
