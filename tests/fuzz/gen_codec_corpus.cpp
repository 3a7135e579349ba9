// Writes (or checks) the seed corpus of fuzz_codec, tests/fuzz/corpus/codec/:
// every sample packet of both versions as the encoder writes it, whole
// sessions as a server would read them, and malformed streams that each
// break one rule. Each file is fuzz_codec's input: one control byte (chunk
// sizes, bit 7 = a 64-byte packet limit), then the stream.
//
//   gen_codec_corpus write DIR   replace DIR's files with the generated set
//   gen_codec_corpus check DIR   exit 1 unless DIR holds exactly that set

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>

#include "codec/codec.hpp"
#include "codec/rich_packets.hpp"
#include "codec/sample_packets.hpp"
#include "codec/stream_test_support.hpp"

namespace {

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;
using test::hex;
namespace fs = std::filesystem;

using Corpus = std::map<std::string, Bytes>;  // file name -> contents

std::string version_tag(ProtocolVersion version) {
  return version == ProtocolVersion::v5_0 ? "v50" : "v311";
}

void add(Corpus& corpus, const std::string& name, std::uint8_t control, const Bytes& stream) {
  Bytes contents{control};
  contents.insert(contents.end(), stream.begin(), stream.end());
  corpus.emplace(name, std::move(contents));
}

Bytes session(ProtocolVersion version, const std::vector<std::string>& names) {
  Bytes stream;
  for (const auto& sample : test::sample_packets()) {
    if (sample.version != version) continue;
    for (const auto& name : names) {
      if (sample.name == name) encode_to(sample.packet, version, stream);
    }
  }
  return stream;
}

Corpus generate() {
  Corpus corpus;
  std::uint8_t control = 0;
  for (const auto& sample : test::sample_packets()) {
    control = static_cast<std::uint8_t>((control + 37) & 0x7F);  // varied chunking, no small limit
    add(corpus, version_tag(sample.version) + "-" + sample.name, control,
        encode(sample.packet, sample.version));
  }

  // The codec tests' rich packets too, named by version, position and type.
  // Files stay within scripts/fuzz's -max_len=4096, which would cut them.
  for (const ProtocolVersion version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    const auto rich =
        version == ProtocolVersion::v5_0 ? test::packets_5_0() : test::packets_3_1_1();
    for (std::size_t i = 0; i < rich.size(); ++i) {
      const Bytes bytes = encode(rich[i], version);
      if (bytes.size() >= 4096) continue;
      std::string type{to_string(type_of(rich[i]))};
      for (char& c : type) c = static_cast<char>(c - 'A' + 'a');
      const std::string index = (i < 10 ? "0" : "") + std::to_string(i);
      control = static_cast<std::uint8_t>((control + 37) & 0x7F);
      add(corpus, "rich-" + version_tag(version) + "-" + index + "-" + type, control, bytes);
    }
  }

  // Whole conversations, in the order encode_to appends them (sample order).
  const std::vector<std::string> client_side = {
      "connect_full",     "publish_qos1_dup", "publish_qos1_props",  "pubrel",
      "pubrel_not_found", "subscribe",        "subscribe_options",   "unsubscribe",
      "pingreq",          "disconnect",       "disconnect_with_will"};
  add(corpus, "v311-session-client-to-server", 0x03, session(ProtocolVersion::v3_1_1, client_side));
  add(corpus, "v50-session-client-to-server", 0x05, session(ProtocolVersion::v5_0, client_side));
  const std::vector<std::string> server_side = {
      "connack",      "connack_full", "publish_qos0", "puback",   "puback_reason", "pubrec",
      "pubrec_error", "pubcomp",      "suback",       "unsuback", "pingresp",      "auth_continue"};
  add(corpus, "v311-session-server-to-client", 0x01, session(ProtocolVersion::v3_1_1, server_side));
  add(corpus, "v50-session-server-to-client", 0x1F, session(ProtocolVersion::v5_0, server_side));

  // Malformed streams, one broken rule each (the rule in the name).
  add(corpus, "bad-packet-type-0", 0x00, hex("00 00"));
  add(corpus, "bad-remaining-length-5-bytes", 0x00, hex("30 ff ff ff ff 01"));
  add(corpus, "bad-remaining-length-overlong-v50", 0x00, hex("c0 80 00"));
  add(corpus, "bad-publish-qos3", 0x02, hex("36 03 00 01 74"));
  add(corpus, "bad-publish-wildcard-topic", 0x02, hex("30 04 00 02 61 23"));
  add(corpus, "bad-publish-invalid-utf8", 0x02, hex("30 04 00 02 c3 28"));
  add(corpus, "bad-publish-null-character", 0x02, hex("30 04 00 02 61 00"));
  add(corpus, "bad-publish-zero-packet-id", 0x02, hex("32 05 00 01 74 00 00"));
  add(corpus, "bad-pubrel-flags", 0x02, hex("60 02 00 01"));
  add(corpus, "bad-subscribe-empty", 0x02, hex("82 02 00 01"));
  add(corpus, "bad-subscribe-qos3", 0x02, hex("82 06 00 01 00 01 61 03"));
  add(corpus, "bad-pingreq-trailing-byte", 0x02, hex("c0 01 00"));
  add(corpus, "bad-connect-protocol-name", 0x04, hex("10 0c 00 04 4d 51 54 58 04 02 00 3c 00 00"));
  add(corpus, "bad-connect-level-3", 0x04, hex("10 0e 00 06 4d 51 49 73 64 70 03 02 00 3c 00 00"));
  add(corpus, "bad-connect-reserved-flag", 0x04, hex("10 0c 00 04 4d 51 54 54 04 03 00 3c 00 00"));
  add(corpus, "bad-connect-password-without-username-v311", 0x04,
      hex("10 10 00 04 4d 51 54 54 04 42 00 3c 00 00 00 02 70 77"));
  add(corpus, "bad-auth-in-v311", 0x02, hex("f0 00"));
  add(corpus, "bad-duplicate-property-v50", 0x02, hex("30 08 00 01 74 04 01 01 01 00"));
  add(corpus, "bad-unknown-property-v50", 0x02, hex("30 06 00 01 74 02 7f 00"));
  add(corpus, "bad-second-packet-qos3", 0x01, hex("c0 00 36 03 00 01 74"));
  add(corpus, "bad-truncated-stream", 0x01, hex("32 0c 00 03 74 2f"));
  Bytes too_large = hex("30 62 00 01 74");  // 100 bytes against the 64-byte limit
  too_large.resize(100, 'x');
  add(corpus, "bad-too-large-for-limit", 0x80, too_large);
  return corpus;
}

Bytes read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  return Bytes{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

int write(const fs::path& dir, const Corpus& corpus) {
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator{dir}) fs::remove(entry.path());
  for (const auto& [name, contents] : corpus) {
    std::ofstream out{dir / name, std::ios::binary};
    out.write(reinterpret_cast<const char*>(contents.data()),
              static_cast<std::streamsize>(contents.size()));
  }
  std::cout << "gen_codec_corpus: wrote " << corpus.size() << " files to " << dir.string() << "\n";
  return 0;
}

int check(const fs::path& dir, const Corpus& corpus) {
  int problems = 0;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator{dir}) {
    ++files;
    const std::string name = entry.path().filename().string();
    const auto found = corpus.find(name);
    if (found == corpus.end()) {
      std::cerr << "not generated: " << name << "\n";
      ++problems;
    } else if (read_file(entry.path()) != found->second) {
      std::cerr << "differs from the generator: " << name << "\n";
      ++problems;
    }
  }
  if (files != corpus.size()) {
    std::cerr << dir.string() << " holds " << files << " files, the generator makes "
              << corpus.size() << "\n";
    ++problems;
  }
  if (problems != 0) {
    std::cerr << "gen_codec_corpus: the seed corpus is stale; regenerate it with "
                 "build/release/bin/gen_codec_corpus write tests/fuzz/corpus/codec\n";
    return 1;
  }
  std::cout << "gen_codec_corpus: " << files << " files match\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "write" && mode != "check") {
    std::cerr << "usage: gen_codec_corpus write|check DIR\n";
    return 2;
  }
  const Corpus corpus = generate();
  return mode == "write" ? write(argv[2], corpus) : check(argv[2], corpus);
}
