// The demo plans' deterministic randomness: the same seeds give the same
// county on every machine and every run.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_RNG_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_RNG_H_

#include <cmath>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"

namespace unionhub::demo {

inline constexpr double kPi = 3.14159265358979323846;

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}

  // Uniform in [lo, hi]. std::mt19937_64's output is fixed by the standard
  // (unlike the std distributions), so the plan is the same everywhere.
  int64_t Uniform(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(gen_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  double Normal() {
    const double u1 = 1.0 - Unit();
    const double u2 = Unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }
  template <typename List>
  const char* Pick(const List& list) {
    return list[Uniform(0, static_cast<int64_t>(std::size(list)) - 1)];
  }
  int Weighted(const std::vector<double>& weights) {
    double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double x = Unit() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(weights.size()) - 1;
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[Uniform(0, static_cast<int64_t>(i) - 1)]);
    }
  }
  absl::CivilDay Day(absl::CivilDay from, absl::CivilDay to) {
    return from + Uniform(0, to - from);
  }

 private:
  std::mt19937_64 gen_;
};

inline std::string Date(absl::CivilDay d) { return absl::FormatCivilTime(d); }

}  // namespace unionhub::demo

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_RNG_H_
