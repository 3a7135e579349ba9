// mqttsim decode [--protocol 3.1.1|5.0] HEX...
//
// Turns bytes written as hex into one readable line per packet. The
// arguments are one stream, read exactly as a receiver would read it (the
// codec's PacketReader), so a stream that a broker would reject is rejected
// here with the same error and normative id.

#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "codec/packet_reader.hpp"
#include "codec/print.hpp"
#include "command.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;
using codec::Bytes;

constexpr std::string_view help_text = R"(usage: mqttsim decode [--protocol 3.1.1|5.0] HEX...

Decodes MQTT control packets written as hex and prints one line per packet,
prefixed with its byte offset in the stream and its size.

HEX is the bytes in hex; spaces and colons between bytes are ignored
("30 0c 00", "30:0c:00", "300c00"). Several arguments are joined into one
stream, which may hold several packets, as a receiver would read them from a
connection.

The protocol version is --protocol if given. Otherwise a stream that starts
with CONNECT is read as a server reads it: the version comes from CONNECT's
protocol level byte. Any other stream is read as MQTT 3.1.1.

Exit codes: 0 every byte decoded into packets; 2 bad usage, invalid hex, a
malformed packet (the error cites the normative statement it breaks, e.g.
"MQTT-3.3.1-4 (3.1.1): ...") or a stream that ends inside a packet.

Example:
  mqttsim decode 32 0c 00 03 74 2f 61 00 07 68 65 6c 6c 6f
  offset 0 (14 bytes): PUBLISH dup=0 qos=1 retain=0 id=7 topic="t/a" payload="hello" (5 bytes)

options)";

std::optional<std::uint8_t> hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

bool is_separator(char c) { return c == ' ' || c == ':' || c == '\t' || c == '\n'; }

// Appends the bytes of one argument. A separator may stand between bytes,
// never inside one: "30 0c" is two bytes, "3 00c" is an error.
void append_hex(const std::string& argument, std::size_t argument_number, Bytes& out) {
  std::size_t group_start = 0;
  std::size_t group_digits = 0;
  auto end_group = [&](std::size_t end) {
    if (group_digits % 2 != 0) {
      throw UsageError{"argument " + std::to_string(argument_number) + ": hex group '" +
                       argument.substr(group_start, end - group_start) +
                       "' has an odd number of digits (write each byte as two digits)"};
    }
    group_digits = 0;
  };
  int high_nibble = -1;
  for (std::size_t i = 0; i < argument.size(); ++i) {
    const char c = argument[i];
    if (is_separator(c)) {
      end_group(i);
      continue;
    }
    const auto value = hex_value(c);
    if (!value) {
      throw UsageError{"argument " + std::to_string(argument_number) + ", character " +
                       std::to_string(i + 1) + ": '" + std::string{c} +
                       "' is not a hex digit (expected 0-9, a-f, spaces or colons)"};
    }
    if (group_digits == 0) group_start = i;
    ++group_digits;
    if (high_nibble < 0) {
      high_nibble = *value;
    } else {
      out.push_back(static_cast<std::uint8_t>((high_nibble << 4) | *value));
      high_nibble = -1;
    }
  }
  end_group(argument.size());
}

ProtocolVersion parse_protocol(const std::string& text) {
  if (text == "3.1.1") return ProtocolVersion::v3_1_1;
  if (text == "5.0") return ProtocolVersion::v5_0;
  throw UsageError{"--protocol '" + text + "' is not supported (use 3.1.1 or 5.0)"};
}

// "the stream ends inside the packet at offset 14 (6 of 20 bytes)"
std::string describe_incomplete(const codec::PartialPacket& partial) {
  std::string text =
      "the stream ends inside the packet at offset " + std::to_string(partial.stream_offset) + " (";
  if (partial.packet_size_bytes) {
    text += std::to_string(partial.received_bytes) + " of " +
            std::to_string(*partial.packet_size_bytes) + " bytes";
  } else {
    text += "its fixed header is incomplete after " + std::to_string(partial.received_bytes) +
            (partial.received_bytes == 1 ? " byte" : " bytes");
  }
  return text + "); add the missing bytes or leave the partial packet out";
}

}  // namespace

int run_decode(const std::vector<std::string>& args) {
  po::options_description visible{std::string{help_text}};
  visible.add_options()("help,h", "show this help")(
      "protocol", po::value<std::string>()->value_name("3.1.1|5.0"),
      "decode as this version (default: learned from a leading CONNECT, else 3.1.1)");
  po::options_description hidden;
  hidden.add_options()("hex", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("hex", -1);

  po::variables_map options;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), options);
    po::notify(options);
  } catch (const po::error& error) {
    throw UsageError{std::string{error.what()} + " (see mqttsim decode --help)"};
  }
  if (options.count("help")) {
    std::cout << visible << "\n";
    return exit_pass;
  }

  Bytes stream;
  if (options.count("hex")) {
    const auto& arguments = options["hex"].as<std::vector<std::string>>();
    for (std::size_t i = 0; i < arguments.size(); ++i) append_hex(arguments[i], i + 1, stream);
  }
  if (stream.empty()) {
    throw UsageError{"no bytes to decode; give them as hex, e.g. mqttsim decode c0 00"};
  }

  std::optional<ProtocolVersion> version;
  if (options.count("protocol")) {
    version = parse_protocol(options["protocol"].as<std::string>());
  } else if ((stream.front() >> 4) != static_cast<unsigned>(codec::PacketType::connect)) {
    version = ProtocolVersion::v3_1_1;
  }  // else: read as a server, learning the version from CONNECT

  codec::PacketReader reader{version};
  reader.feed(stream);
  for (auto result = reader.next(); !result.need_more(); result = reader.next()) {
    if (result.has_error()) {
      const codec::ReadError& error = result.error();
      throw UsageError{"packet at offset " + std::to_string(error.stream_offset) + ": " +
                       codec::to_string(error.error)};
    }
    const codec::ReceivedPacket& packet = result.item();
    std::cout << "offset " << packet.stream_offset << " (" << packet.raw.size()
              << (packet.raw.size() == 1 ? " byte): " : " bytes): ")
              << codec::describe(packet.packet, *reader.version()) << "\n";
  }
  if (const auto partial = reader.partial()) throw UsageError{describe_incomplete(*partial)};
  return exit_pass;
}

}  // namespace mqttsim::cli
