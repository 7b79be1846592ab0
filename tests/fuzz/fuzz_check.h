// What the fuzz targets share: a check that turns a broken invariant into a
// crash libFuzzer records (the sanitizers catch memory and UB errors), and
// the fixed business day the date-dependent parsers are run against, so a
// crash file reproduces on any later day.
#ifndef UNIONHUB_TESTS_FUZZ_FUZZ_CHECK_H_
#define UNIONHUB_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#include "absl/time/civil_time.h"

#define FUZZ_CHECK(condition)                                          \
  do {                                                                 \
    if (!(condition)) {                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #condition);                              \
      std::abort();                                                    \
    }                                                                  \
  } while (false)

namespace unionhub::fuzz {

inline constexpr absl::CivilDay kToday(2026, 12, 1);

}  // namespace unionhub::fuzz

#endif  // UNIONHUB_TESTS_FUZZ_FUZZ_CHECK_H_
