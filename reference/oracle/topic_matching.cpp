// Topic matching as the standards define it, checked where a broker could
// plausibly get it wrong.
//
// - A filter that begins with '#' or '+' does not match a topic name that
//   begins with '$' (MQTT-4.7.2-1 of both versions).
// - Matching neither normalizes topic names or filters nor alters or
//   substitutes characters (MQTT-4.7.3-4 of both): "A/b" is not "a/b",
//   "a/b/" is not "a/b", "a//b" is not "a/b", and "é" written as one code
//   point is not "é" written as "e" and a combining accent.
//
// Judged on deliveries: a message whose topic some subscription of the
// receiving session would match only through the '$' exception being
// ignored, or only after a normalization (ASCII case folding, dropping a
// trailing '/', collapsing empty levels, dropping combining accents), and
// that no subscription matches literally, must not be delivered to that
// session. Subscriptions count from their SUBSCRIBE to their UNSUBACK
// (sessions.hpp), so a delivery is reported only when no subscription that
// might have been in place matches it. Each statement is marked judged for
// a session that received, or could have received, such a message: one
// received while it held such a subscription.

#include <algorithm>

#include "codec/topic.hpp"
#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

// What a normalizing broker might make of a topic name or filter.
std::string normalized(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // U+0300..U+036F combining diacritical marks: CC 80..CD AF.
    if ((byte == 0xCC && i + 1 < text.size()) ||
        (byte == 0xCD && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0xAF)) {
      ++i;
      continue;
    }
    // Precomposed Latin-1 letters with accents (C3 80..C3 BF) fold to a mark.
    if (byte == 0xC3 && i + 1 < text.size()) {
      out += '~';
      ++i;
      continue;
    }
    out += (byte >= 'A' && byte <= 'Z') ? static_cast<char>(byte - 'A' + 'a') : text[i];
  }
  std::string collapsed;
  for (const char ch : out) {
    if (ch == '/' && !collapsed.empty() && collapsed.back() == '/') continue;
    collapsed += ch;
  }
  while (collapsed.size() > 1 && collapsed.back() == '/') collapsed.pop_back();
  return collapsed;
}

// An accented letter written with a combining mark becomes the same "~"
// as a precomposed one.
std::string folded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool combining_next =
        i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xCC;
    if (combining_next && byte < 0x80 && byte != '/') {
      out += '~';
      i += 2;
      continue;
    }
    out += text[i];
  }
  return normalized(out);
}

bool matches_ignoring_dollar(std::string_view filter, std::string_view topic) {
  if (topic.empty() || topic.front() != '$') return false;
  if (filter.empty() || (filter.front() != '#' && filter.front() != '+')) return false;
  // Put the '$' level behind an ordinary first character and match again.
  const std::string plain_topic = "x" + std::string{topic.substr(1)};
  return codec::topic_matches(filter, plain_topic);
}

bool matches_normalized(std::string_view filter, std::string_view topic) {
  const std::string f = folded(filter);
  const std::string t = folded(topic);
  if (f == filter && t == topic) return false;
  return codec::topic_matches(f, t);
}

class TopicMatching final : public Checker {
 public:
  std::string_view name() const override { return "topic-matching"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    // Only a topic that begins with '$' or that folds to another text can
    // be matched by the '$' exception or a normalization against a filter
    // that folds to itself: on a long run almost every topic and filter is
    // plain, and a session whose filters all are needs only those topics.
    std::vector<PublicationIndex> odd_publications;
    for (const PublicationIndex pi : e.messages.publications.indices()) {
      const std::string& topic = e.messages.publications[pi].publish.topic;
      if ((!topic.empty() && topic.front() == '$') || !is_plain(topic)) {
        odd_publications.push_back(pi);
      }
    }
    for (const EpochIndex si : e.sessions.epochs.indices()) {
      const SessionEpoch& epoch = e.sessions.epochs[si];
      const bool odd_filters = std::any_of(
          epoch.subscriptions.begin(), epoch.subscriptions.end(),
          [](const SubscriptionSpan& span) { return !is_plain(span.request.topic_filter); });
      if (odd_filters) {
        for (const PublicationIndex pi : e.messages.publications.indices()) {
          judge_publication(e, si, pi, verdict);
        }
      } else {
        for (const PublicationIndex pi : odd_publications) judge_publication(e, si, pi, verdict);
      }
    }
  }

 private:
  static bool is_plain(std::string_view text) { return folded(text) == text; }

  static void judge_publication(const Evidence& e, EpochIndex si, PublicationIndex pi,
                                Verdict& verdict) {
    const SessionEpoch& epoch = e.sessions.epochs[si];
    const bool v5 = epoch.version == V::v5_0;
    const SpecRef dollar = pick(v5, "MQTT-4.7.2-1", "MQTT-4.7.2-1");
    const SpecRef literal = pick(v5, "MQTT-4.7.3-4", "MQTT-4.7.3-4");
    const Publication& p = e.messages.publications[pi];
    if (!epoch.alive_at(p.first_index)) return;
    const std::string& topic = p.publish.topic;
    bool literal_match = false;
    const SubscriptionSpan* dollar_span = nullptr;
    const SubscriptionSpan* normal_span = nullptr;
    for (const SubscriptionSpan& span : epoch.subscriptions) {
      // Possibly in place when the message came, or made later (a
      // retained message may be delivered on subscribe).
      if (span.ended_index && *span.ended_index <= p.first_index) continue;
      std::string_view filter = span.request.topic_filter;
      if (v5 && codec::is_shared_subscription(filter)) {
        literal_match = true;  // shared subscriptions are left alone
        continue;
      }
      if (codec::topic_matches(filter, topic)) {
        literal_match = true;
      } else if (matches_ignoring_dollar(filter, topic)) {
        dollar_span = &span;
      } else if (matches_normalized(filter, topic)) {
        normal_span = &span;
      }
    }
    if (literal_match || (dollar_span == nullptr && normal_span == nullptr)) return;
    // Subscriptions held when the message came in: judged.
    const auto held = [&](const SubscriptionSpan* s) {
      return s != nullptr && s->suback_index < p.first_index;
    };
    if (held(dollar_span)) verdict.judge(dollar);
    if (held(normal_span)) verdict.judge(literal);
    for (const Delivery& d : e.messages.deliveries) {
      if (d.publication != pi || d.epoch != si) continue;
      const SubscriptionSpan* span = dollar_span != nullptr ? dollar_span : normal_span;
      const SpecRef rule = dollar_span != nullptr ? dollar : literal;
      verdict.judge(rule);
      verdict.violations.push_back(violation(
          e, "topic-matching", {rule}, span->subscribe_index, d.index,
          "the broker delivered message " + describe(p.publish) + " to \"" + epoch.client_id +
              "\" at " + at(e.seen.event(d.index).time) +
              ", though its only candidate subscription, " + span->request.topic_filter +
              ", does not match that topic" +
              (dollar_span != nullptr
                   ? " (a filter beginning with '#' or '+' never matches a topic beginning "
                     "with '$')"
                   : " (matching compares characters exactly, without normalizing)")));
      break;
    }
  }
};

}  // namespace

std::unique_ptr<Checker> topic_matching_checker() { return std::make_unique<TopicMatching>(); }

}  // namespace mqttsim::oracle
