// The world's helpers: firm lookup, the market's reference pay, skill cuts and the
// state hash.
#include "talentsim/model/world.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "talentsim/core/error.hpp"
#include "talentsim/core/parallel.hpp"

namespace talentsim {

FirmId World::firm_index(const std::string& id) const {
  for (std::size_t j = 0; j < named; ++j)
    if (scenario.firms[j].id == id) return static_cast<FirmId>(j);
  throw ModelError("no firm with id '" + id + "'");
}

double World::market_pay_of(double skill) const {
  return market_pay.base * std::pow(skill, market_pay.elasticity);
}

SkillCut best_by_skill(const World& w, std::uint64_t k, std::optional<FirmId> staff_of) {
  const auto& people = w.people;
  const auto keep = [&](std::size_t i) { return !staff_of || people.employer[i] == *staff_of; };
  const std::size_t n = people.size();
  const std::size_t chunks = chunk_count(n);
  std::vector<std::uint64_t> kept(chunks, 0);
  for_each_chunk(n, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) kept[c] += keep(i) ? 1u : 0u;
  });
  std::uint64_t total = 0;
  for (const auto x : kept) total += x;
  k = std::min(k, total);
  if (k == 0) return {std::numeric_limits<float>::infinity(), 0};
  SkillCut cut;
  cut.threshold = select_rank(n, total - k, FloatBins{-32, 32, 8}, keep,
                              [&](std::size_t i) { return people.skill[i]; });
  // Those strictly above the threshold are in; the rest come from the ties, by id.
  std::vector<std::uint64_t> above(chunks, 0), ties(chunks, 0);
  for_each_chunk(n, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (!keep(i)) continue;
      above[c] += people.skill[i] > cut.threshold;
      ties[c] += people.skill[i] == cut.threshold;
    }
  });
  std::uint64_t need = k;
  for (const auto x : above) need -= x;
  for (std::size_t c = 0; c < chunks && need > 0; ++c) {
    if (ties[c] < need) {
      need -= ties[c];
      continue;
    }
    const std::size_t end = std::min(n, (c + 1) * kChunkSize);
    for (std::size_t i = c * kChunkSize; i < end; ++i)
      if (keep(i) && people.skill[i] == cut.threshold && --need == 0) {
        cut.tie_limit = static_cast<ResearcherId>(i + 1);
        break;
      }
  }
  return cut;
}

namespace {
/// FNV-1a over bytes, 64-bit.
std::uint64_t fnv1a(const void* data, std::size_t bytes, std::uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;

template <class T>
std::uint64_t hash_column(const Column<T>& col, std::uint64_t h) {
  // Hash fixed chunks in parallel, then fold the chunk hashes in order.
  std::vector<std::uint64_t> part(chunk_count(col.size()));
  for_each_chunk(col.size(), [&](std::size_t c, std::size_t b, std::size_t e) {
    part[c] = fnv1a(col.data() + b, (e - b) * sizeof(T), kFnvOffset);
  });
  return fnv1a(part.data(), part.size() * sizeof(std::uint64_t), h);
}
}  // namespace

std::uint64_t column_digest(const void* data, std::size_t bytes) {
  // Word sums and xors of rotated words, which compilers vectorise: any single changed
  // value changes the digest. Blocks in parallel, folded in order.
  constexpr std::size_t kBlock = std::size_t{1} << 18;
  const auto* p = static_cast<const unsigned char*>(data);
  const std::size_t blocks = (bytes + kBlock - 1) / kBlock;
  std::vector<std::uint64_t> part(2 * blocks);
  for_each_index(blocks, 1, [&](std::size_t b) {
    const std::size_t begin = b * kBlock;
    const std::size_t end = std::min(bytes, begin + kBlock);
    std::uint64_t sum = 0, mix = 0;
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      sum += word;
      mix ^= (word << 23) | (word >> 41);
    }
    for (; i < end; ++i) sum += std::uint64_t{p[i]} << (8 * (i % 8));
    part[2 * b] = sum;
    part[2 * b + 1] = mix;
  });
  return fnv1a(part.data(), part.size() * sizeof(std::uint64_t), kFnvOffset ^ bytes);
}

std::uint64_t state_hash(const World& w) {
  std::uint64_t h = kFnvOffset;
  ResearcherColumns::for_each_column(
      [&](const ColumnInfo&, auto member) { h = hash_column(w.people.*member, h); });
  for (const FirmState& f : w.firms) {
    const std::int64_t v[] = {f.headcount,     f.top,
                              f.published,     f.payroll_cents,
                              f.alive ? 1 : 0, static_cast<std::int64_t>(f.serial)};
    h = fnv1a(v, sizeof v, h);
    h = fnv1a(&f.pay_base, sizeof f.pay_base, h);
  }
  for (const auto& chunk : w.pending.chunks())  // in researcher order
    for (const PendingHire& p : chunk) {
      const std::uint64_t v[] = {p.id, p.firm, p.firm_serial, p.due};
      h = fnv1a(v, sizeof v, h);
      h = fnv1a(&p.salary, sizeof p.salary, h);
    }
  return h;
}

}  // namespace talentsim
