#include "runner/inbound_packets.hpp"

namespace mqttsim::runner {

std::optional<std::string> read_inbound_packets(
    codec::PacketReader& reader, codec::ByteView bytes,
    const std::function<void(const codec::Packet&, codec::Bytes)>& on_packet) {
  if (reader.failed()) return std::nullopt;
  reader.feed(bytes);
  while (true) {
    auto result = reader.next();
    if (result.need_more()) return std::nullopt;
    if (result.has_error()) return codec::to_string(result.error().error);
    on_packet(result.item().packet, std::move(result.item().raw));
  }
}

void BrokerAnswers::note(const codec::Packet& packet) {
  if (const auto* ack = std::get_if<codec::Connack>(&packet)) connack_code = ack->code;
  if (const auto* disconnect = std::get_if<codec::Disconnect>(&packet)) {
    server_reason = static_cast<std::uint8_t>(disconnect->reason_code);
  }
}

}  // namespace mqttsim::runner
