#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <numeric>
#include <vector>

#include "base/hash64.hpp"
#include "kernel/rng.hpp"

using mqttsim::kernel::Rng;

// Golden values: computed once with an independent Python implementation of
// splitmix64 seeding, xoshiro256**, FNV-1a 64 and Lemire's reduction (not
// committed), then pinned here. If one of these fails, every recorded seed
// now means a different run.
BOOST_AUTO_TEST_SUITE(st_rng)

BOOST_AUTO_TEST_CASE(fnv1a64_matches_the_published_test_vectors) {
  BOOST_TEST(mqttsim::fnv1a64("") == 0xcbf29ce484222325ULL);
  BOOST_TEST(mqttsim::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  BOOST_TEST(mqttsim::fnv1a64("foobar") == 0x85944171f73967e8ULL);
  // The first output of splitmix64 seeded with 0.
  BOOST_TEST(mqttsim::splitmix64_mix(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);
}

BOOST_AUTO_TEST_CASE(raw_outputs_are_pinned) {
  Rng zero{0};
  const std::array<std::uint64_t, 4> expected_zero{0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL,
                                                   0x1a5f849d4933e6e0ULL, 0x6aa594f1262d2d2cULL};
  for (const auto value : expected_zero) BOOST_TEST(zero.next_u64() == value);
  Rng answer{42};
  const std::array<std::uint64_t, 4> expected_42{0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL,
                                                 0xae17533239e499a1ULL, 0xecb8ad4703b360a1ULL};
  for (const auto value : expected_42) BOOST_TEST(answer.next_u64() == value);
}

BOOST_AUTO_TEST_CASE(uniform_chance_and_shuffle_are_pinned) {
  Rng dice{42};
  std::vector<std::uint64_t> rolls;
  for (int i = 0; i < 10; ++i) rolls.push_back(dice.uniform(1, 6));
  BOOST_TEST(rolls == (std::vector<std::uint64_t>{1, 3, 5, 6, 6, 5, 5, 6, 5, 4}),
             boost::test_tools::per_element());

  Rng wide{42};
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 5; ++i) values.push_back(wide.uniform(0, 999));
  BOOST_TEST(values == (std::vector<std::uint64_t>{83, 378, 680, 924, 991}),
             boost::test_tools::per_element());

  Rng coin{7};
  std::vector<int> flips;
  for (int i = 0; i < 16; ++i) flips.push_back(coin.chance(300'000) ? 1 : 0);
  BOOST_TEST(flips == (std::vector<int>{0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0}),
             boost::test_tools::per_element());

  Rng shuffler{7};
  std::vector<int> deck(10);
  std::iota(deck.begin(), deck.end(), 0);
  shuffler.shuffle(std::span<int>(deck));
  BOOST_TEST(deck == (std::vector<int>{1, 8, 3, 0, 4, 5, 9, 6, 2, 7}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(derived_seeds_are_pinned) {
  const Rng root{42};
  Rng network = root.derive("network");
  BOOST_TEST(network.seed() == 0xd063e7e8b5e5d5a3ULL);
  BOOST_TEST(network.next_u64() == 0x206e6c57e1a7f099ULL);
  BOOST_TEST(network.next_u64() == 0x0d1b2592fe8ac421ULL);
  Rng client = root.derive("client/sub-1");
  BOOST_TEST(client.seed() == 0x93e1c29473c034a2ULL);
  BOOST_TEST(client.next_u64() == 0x703ad5ddcfdb9a83ULL);
}

BOOST_AUTO_TEST_CASE(derive_depends_on_seed_and_name_only) {
  Rng parent{1234};
  const Rng before = parent.derive("network");
  for (int i = 0; i < 100; ++i) parent.next_u64();
  const Rng after = parent.derive("network");
  BOOST_TEST(before.seed() == after.seed());  // draws from the parent do not matter

  // Drawing from one child does not change another.
  Rng a1 = Rng{1234}.derive("client/a");
  Rng b_alone = Rng{1234}.derive("client/b");
  Rng b_with_a = Rng{1234}.derive("client/b");
  for (int i = 0; i < 50; ++i) a1.next_u64();
  for (int i = 0; i < 20; ++i) BOOST_TEST(b_alone.next_u64() == b_with_a.next_u64());

  // Different names and different parents give different streams.
  BOOST_TEST(Rng{1234}.derive("client/a").seed() != Rng{1234}.derive("client/b").seed());
  BOOST_TEST(Rng{1234}.derive("network").seed() != Rng{1235}.derive("network").seed());
  BOOST_TEST(Rng{1234}.derive("network").seed() != Rng{1234}.seed());
}

BOOST_AUTO_TEST_CASE(uniform_stays_in_bounds) {
  Rng rng{5};
  for (int i = 0; i < 10'000; ++i) {
    const auto v = rng.uniform(10, 13);
    BOOST_TEST_REQUIRE((v >= 10 && v <= 13));
  }
  for (int i = 0; i < 100; ++i) BOOST_TEST(rng.uniform(7, 7) == 7u);
  // The whole 64-bit range is allowed (range wraps to 0 internally).
  (void)rng.uniform(0, UINT64_MAX);
  const auto top = rng.uniform(UINT64_MAX - 1, UINT64_MAX);
  BOOST_TEST((top == UINT64_MAX - 1 || top == UINT64_MAX));
  BOOST_CHECK_THROW(rng.uniform(3, 2), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(uniform_is_unbiased_on_a_fixed_seed) {
  // Exact counts for seed 2024 (pinned from the reference implementation),
  // each within 1.2% of the mean 10'000: a modulo-biased reduction of a
  // range like 2^63 + 1 below would put about twice as many values low.
  Rng rng{2024};
  std::array<int, 6> counts{};
  for (int i = 0; i < 60'000; ++i) ++counts[rng.uniform(0, 5)];
  BOOST_TEST(counts == (std::array<int, 6>{10021, 10036, 10032, 9974, 10048, 9889}),
             boost::test_tools::per_element());

  // A range of 3 * 2^62: `x % range` would put half of all values below
  // 2^62 (the wrapped top quarter lands there); unbiased, a third does.
  Rng wide{77};
  const std::uint64_t quarter = std::uint64_t{1} << 62;
  int low_third = 0;
  for (int i = 0; i < 30'000; ++i) {
    if (wide.uniform(0, 3 * quarter - 1) < quarter) ++low_third;
  }
  BOOST_TEST(low_third == 10063);  // pinned: near 10'000, far from 15'000
}

BOOST_AUTO_TEST_CASE(chance_extremes_and_rate) {
  Rng rng{11};
  for (int i = 0; i < 10'000; ++i) {
    BOOST_TEST_REQUIRE(!rng.chance(0));
    BOOST_TEST_REQUIRE(rng.chance(1'000'000));
  }
  BOOST_CHECK_THROW(rng.chance(1'000'001), std::invalid_argument);
  Rng rate{99};
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) hits += rate.chance(10'000) ? 1 : 0;
  BOOST_TEST(hits == 1009);  // pinned; about 1% as asked
}

BOOST_AUTO_TEST_CASE(shuffle_is_a_permutation) {
  Rng rng{3};
  std::vector<int> items(100);
  std::iota(items.begin(), items.end(), 0);
  rng.shuffle(std::span<int>(items));
  std::vector<int> sorted = items;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  BOOST_TEST(sorted == identity, boost::test_tools::per_element());
  BOOST_TEST(items != identity);
  std::vector<int> empty;
  rng.shuffle(std::span<int>(empty));  // no draws, no crash
  BOOST_TEST(empty.empty());
}

BOOST_AUTO_TEST_SUITE_END()
