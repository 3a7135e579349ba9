#include "codec/print.hpp"

#include <array>
#include <optional>
#include <string_view>
#include <variant>

namespace mqttsim::codec {

namespace {

constexpr std::string_view hex_digits = "0123456789abcdef";

void append_hex_byte(std::string& out, std::uint8_t byte) {
  out += hex_digits[byte >> 4];
  out += hex_digits[byte & 0x0F];
}

// The code point starting at text[pos] and its length in bytes, or nothing
// if the bytes there are not well-formed UTF-8 (overlong forms, surrogates
// and values past U+10FFFF are not, per RFC 3629).
struct CodePoint {
  std::uint32_t value;
  std::size_t length;
};
std::optional<CodePoint> utf8_at(ByteView text, std::size_t pos) {
  const std::uint8_t lead = text[pos];
  if (lead < 0x80) return CodePoint{lead, 1};
  std::size_t length = 0;
  std::uint32_t value = 0;
  std::uint32_t min_value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1Fu, min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0Fu, min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07u, min_value = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const std::uint8_t next = text[pos + i];
    if ((next & 0xC0) != 0x80) return std::nullopt;
    value = (value << 6) | (next & 0x3Fu);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return std::nullopt;
  }
  return CodePoint{value, length};
}

// C0 and C1 control characters and DEL: shown escaped, never raw, so a
// trace line stays one line and cannot drive a terminal.
bool is_control(std::uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point < 0xA0);
}

// Appends the code point or byte at text[pos] in quoted form; returns how
// many bytes it used.
std::size_t append_quoted_char(std::string& out, ByteView text, std::size_t pos) {
  const auto code_point = utf8_at(text, pos);
  if (!code_point) {  // not UTF-8: show the raw byte
    out += "\\x";
    append_hex_byte(out, text[pos]);
    return 1;
  }
  switch (code_point->value) {
    case '"':
      out += "\\\"";
      return 1;
    case '\\':
      out += "\\\\";
      return 1;
    case '\n':
      out += "\\n";
      return 1;
    case '\r':
      out += "\\r";
      return 1;
    case '\t':
      out += "\\t";
      return 1;
    default:
      break;
  }
  if (is_control(code_point->value)) {
    out += "\\u00";
    append_hex_byte(out, static_cast<std::uint8_t>(code_point->value));
  } else {
    out.append(reinterpret_cast<const char*>(text.data() + pos), code_point->length);
  }
  return code_point->length;
}

ByteView bytes_of(std::string_view text) {
  return ByteView{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Printable text: well-formed UTF-8 whose only control characters are tab,
// newline and carriage return (escaped when shown).
bool is_printable_text(ByteView payload) {
  for (std::size_t pos = 0; pos < payload.size();) {
    const auto code_point = utf8_at(payload, pos);
    if (!code_point) return false;
    const std::uint32_t c = code_point->value;
    if (is_control(c) && c != '\t' && c != '\n' && c != '\r') return false;
    pos += code_point->length;
  }
  return true;
}

std::string size_suffix(std::size_t size) {
  return " (" + std::to_string(size) + (size == 1 ? " byte)" : " bytes)");
}

// A bare token when that is unambiguous, as in user[a=b]; quoted otherwise.
std::string token(std::string_view text) {
  bool bare = !text.empty();
  for (const char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
    bare = bare && plain;
  }
  return bare ? std::string{text} : quote(text);
}

std::string hex_code(std::uint8_t code) {
  std::string text = "0x";
  append_hex_byte(text, code);
  return text;
}

// "0x87 (not_authorized)", or "0x03" for a value the 5.0 table does not name.
std::string describe_reason(std::uint8_t code) {
  std::string text = hex_code(code);
  const std::string_view name = to_string(static_cast<ReasonCode>(code));
  if (!name.empty()) {
    text += " (";
    text += name;
    text += ')';
  }
  return text;
}

std::string describe_return_code(std::uint8_t code) {
  std::string text = hex_code(code);
  const std::string_view name = to_string(static_cast<ConnectReturnCode>(code));
  if (!name.empty()) {
    text += " (";
    text += name;
    text += ')';
  }
  return text;
}

std::string flag(bool value) { return value ? "1" : "0"; }
std::string qos_digit(QoS qos) { return std::to_string(static_cast<unsigned>(qos)); }

// Collects "name=value" items for props{...}.
class PropertyList {
 public:
  explicit PropertyList(const PrintOptions& options) : options_{options} {}

  template <class Integer>
  void number(std::string_view name, const std::optional<Integer>& value) {
    if (value) add(name, std::to_string(static_cast<std::uint64_t>(*value)));
  }
  void text(std::string_view name, const BoxedOptional<std::string>& value) {
    if (value) add(name, quote(*value));
  }
  void binary(std::string_view name, const BoxedOptional<Bytes>& value) {
    if (value) add(name, describe_payload(*value, options_));
  }
  void add(std::string_view name, const std::string& value) {
    if (!items_.empty()) items_ += ", ";
    items_ += name;
    items_ += '=';
    items_ += value;
  }
  void raw(const std::string& item) {
    if (!items_.empty()) items_ += ", ";
    items_ += item;
  }
  std::string finish() const { return items_.empty() ? std::string{} : "props{" + items_ + "}"; }

 private:
  const PrintOptions& options_;
  std::string items_;
};

// Builds one line from space-separated fields.
class Line {
 public:
  explicit Line(std::string_view head) : text_{head} {}
  Line& field(std::string_view name, const std::string& value) {
    text_ += ' ';
    text_ += name;
    text_ += '=';
    text_ += value;
    return *this;
  }
  Line& word(const std::string& word) {
    if (!word.empty()) {
      text_ += ' ';
      text_ += word;
    }
    return *this;
  }
  std::string finish() { return std::move(text_); }

 private:
  std::string text_;
};

class PacketPrinter {
 public:
  PacketPrinter(ProtocolVersion version, const PrintOptions& options)
      : v5_{version == ProtocolVersion::v5_0}, options_{options} {}

  std::string operator()(const Connect& p) const {
    const bool v5 = p.version == ProtocolVersion::v5_0;
    Line line{"CONNECT"};
    line.word(std::string{"v"} + std::string{to_string(p.version)});
    line.field("client_id", quote(p.client_id));
    line.field(v5 ? "clean_start" : "clean_session", flag(p.clean_start));
    line.field("keep_alive", std::to_string(p.keep_alive_s) + "s");
    if (p.will) {
      std::string text = "will{topic=" + quote(p.will->topic);
      text += " qos=" + qos_digit(p.will->qos);
      text += " retain=" + flag(p.will->retain);
      text += " payload=" + describe_payload(p.will->payload, options_);
      if (v5 && !p.will->properties.empty()) {
        text += ' ' + describe(p.will->properties, options_);
      }
      text += '}';
      line.word(text);
    }
    if (p.username) line.field("username", quote(*p.username));
    // The password is never shown, only its length: traces get shared.
    if (p.password) line.field("password", "(" + std::to_string(p.password->size()) + " bytes)");
    if (v5) line.word(describe(p.properties, options_));
    return line.finish();
  }

  std::string operator()(const Connack& p) const {
    Line line{"CONNACK"};
    line.field("session_present", flag(p.session_present));
    if (v5_) {
      line.field("reason", describe_reason(p.code));
      line.word(describe(p.properties, options_));
    } else {
      line.field("return_code", describe_return_code(p.code));
    }
    return line.finish();
  }

  std::string operator()(const Publish& p) const {
    Line line{"PUBLISH"};
    line.field("dup", flag(p.dup)).field("qos", qos_digit(p.qos)).field("retain", flag(p.retain));
    if (p.qos != QoS::at_most_once) line.field("id", std::to_string(p.packet_id));
    line.field("topic", quote(p.topic));
    if (v5_) line.word(describe(p.properties, options_));
    line.field("payload", describe_payload(p.payload, options_));
    return line.finish();
  }

  template <PacketType kType>
  std::string operator()(const PublishResponse<kType>& p) const {
    Line line{to_string(kType)};
    line.field("id", std::to_string(p.packet_id));
    if (v5_) {
      line.field("reason", describe_reason(static_cast<std::uint8_t>(p.reason_code)));
      line.word(describe(p.properties, options_));
    }
    return line.finish();
  }

  std::string operator()(const Subscribe& p) const {
    Line line{"SUBSCRIBE"};
    line.field("id", std::to_string(p.packet_id));
    std::string list;
    for (const Subscription& s : p.subscriptions) {
      if (!list.empty()) list += ", ";
      list += quote(s.topic_filter) + " qos=" + qos_digit(s.max_qos);
      // 5.0 subscription options (§3.8.3.1), shown when not the default.
      if (!v5_) continue;
      if (s.no_local) list += " no_local=1";
      if (s.retain_as_published) list += " retain_as_published=1";
      if (s.retain_handling != 0) {
        list += " retain_handling=" + std::to_string(static_cast<unsigned>(s.retain_handling));
      }
    }
    line.word("filters[" + list + "]");
    if (v5_) line.word(describe(p.properties, options_));
    return line.finish();
  }

  std::string operator()(const Suback& p) const {
    Line line{"SUBACK"};
    line.field("id", std::to_string(p.packet_id));
    std::string list;
    for (const std::uint8_t code : p.reason_codes) {
      if (!list.empty()) list += ", ";
      // 3.1.1: a granted QoS (0-2) or 0x80 failure; 5.0: a reason code.
      list += v5_ ? describe_reason(code) : hex_code(code);
    }
    line.word((v5_ ? "reasons[" : "return_codes[") + list + "]");
    if (v5_) line.word(describe(p.properties, options_));
    return line.finish();
  }

  std::string operator()(const Unsubscribe& p) const {
    Line line{"UNSUBSCRIBE"};
    line.field("id", std::to_string(p.packet_id));
    std::string list;
    for (const std::string& filter : p.topic_filters) {
      if (!list.empty()) list += ", ";
      list += quote(filter);
    }
    line.word("filters[" + list + "]");
    if (v5_) line.word(describe(p.properties, options_));
    return line.finish();
  }

  std::string operator()(const Unsuback& p) const {
    Line line{"UNSUBACK"};
    line.field("id", std::to_string(p.packet_id));
    if (v5_) {  // 3.1.1 UNSUBACK has no payload
      std::string list;
      for (const ReasonCode code : p.reason_codes) {
        if (!list.empty()) list += ", ";
        list += describe_reason(static_cast<std::uint8_t>(code));
      }
      line.word("reasons[" + list + "]");
      line.word(describe(p.properties, options_));
    }
    return line.finish();
  }

  std::string operator()(const Pingreq&) const { return "PINGREQ"; }
  std::string operator()(const Pingresp&) const { return "PINGRESP"; }

  std::string operator()(const Disconnect& p) const {
    Line line{"DISCONNECT"};
    if (v5_) {
      line.field("reason", describe_reason(static_cast<std::uint8_t>(p.reason_code)));
      line.word(describe(p.properties, options_));
    }
    return line.finish();
  }

  std::string operator()(const Auth& p) const {
    Line line{"AUTH"};
    line.field("reason", describe_reason(static_cast<std::uint8_t>(p.reason_code)));
    line.word(describe(p.properties, options_));
    return line.finish();
  }

 private:
  bool v5_;
  const PrintOptions& options_;
};

}  // namespace

std::string quote(std::string_view text) {
  const ByteView bytes = bytes_of(text);
  std::string out = "\"";
  for (std::size_t pos = 0; pos < bytes.size();) pos += append_quoted_char(out, bytes, pos);
  out += '"';
  return out;
}

std::string describe_payload(ByteView payload, const PrintOptions& options) {
  const std::size_t limit = options.max_payload_bytes;
  std::string out;
  bool cut = false;
  if (is_printable_text(payload)) {
    out = "\"";
    std::size_t pos = 0;
    while (pos < payload.size()) {
      // Never split a character: stop before one that would pass the limit.
      const std::size_t length = utf8_at(payload, pos)->length;
      if (pos + length > limit) {
        cut = true;
        break;
      }
      append_quoted_char(out, payload, pos);
      pos += length;
    }
    out += '"';
  } else {
    out = "0x";
    for (std::size_t pos = 0; pos < payload.size(); ++pos) {
      if (pos == limit) {
        cut = true;
        break;
      }
      append_hex_byte(out, payload[pos]);
    }
  }
  if (cut) out += "...";
  return out + size_suffix(payload.size());
}

std::string describe(const Properties& p, const PrintOptions& options) {
  // Identifier order (§2.2.2.2, Table 2-4), the order the encoder writes.
  PropertyList list{options};
  list.number("payload_format_indicator", p.payload_format_indicator);
  list.number("message_expiry_interval", p.message_expiry_interval);
  list.text("content_type", p.content_type);
  list.text("response_topic", p.response_topic);
  list.binary("correlation_data", p.correlation_data);
  for (const std::uint32_t id : p.subscription_identifiers) {
    list.add("subscription_identifier", std::to_string(id));
  }
  list.number("session_expiry_interval", p.session_expiry_interval);
  list.text("assigned_client_identifier", p.assigned_client_identifier);
  list.number("server_keep_alive", p.server_keep_alive);
  list.text("authentication_method", p.authentication_method);
  list.binary("authentication_data", p.authentication_data);
  list.number("request_problem_information", p.request_problem_information);
  list.number("will_delay_interval", p.will_delay_interval);
  list.number("request_response_information", p.request_response_information);
  list.text("response_information", p.response_information);
  list.text("server_reference", p.server_reference);
  list.text("reason_string", p.reason_string);
  list.number("receive_maximum", p.receive_maximum);
  list.number("topic_alias_maximum", p.topic_alias_maximum);
  list.number("topic_alias", p.topic_alias);
  list.number("maximum_qos", p.maximum_qos);
  list.number("retain_available", p.retain_available);
  for (const UserProperty& user : p.user_properties) {
    list.raw("user[" + token(user.name) + "=" + token(user.value) + "]");
  }
  list.number("maximum_packet_size", p.maximum_packet_size);
  list.number("wildcard_subscription_available", p.wildcard_subscription_available);
  list.number("subscription_identifier_available", p.subscription_identifier_available);
  list.number("shared_subscription_available", p.shared_subscription_available);
  return list.finish();
}

std::string describe(const Packet& packet, ProtocolVersion version, const PrintOptions& options) {
  return std::visit(PacketPrinter{version, options}, packet);
}

}  // namespace mqttsim::codec
