#include "common/core/trace.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"

namespace unionhub::trace {
namespace {

constexpr size_t kTraceIdHex = 32;
constexpr size_t kSpanIdHex = 16;
// "vv-" + trace id + "-" + span id + "-" + "ff".
constexpr size_t kVersion00Length = 55;
constexpr size_t kMaxTracestateBytes = 512;

thread_local const Context* current = nullptr;

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool AllZero(absl::string_view text) {
  return text.find_first_not_of('0') == absl::string_view::npos;
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

std::string RandomHex(size_t digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  thread_local absl::BitGen bits;
  std::string out(digits, '0');
  while (AllZero(out)) {
    for (char& c : out) c = kDigits[absl::Uniform(bits, 0, 16)];
  }
  return out;
}

}  // namespace

std::optional<Context> Parse(absl::string_view value) {
  if (value.size() < kVersion00Length) return std::nullopt;
  const absl::string_view version = value.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') {
    return std::nullopt;
  }
  const absl::string_view trace_id = value.substr(3, kTraceIdHex);
  const absl::string_view span_id = value.substr(36, kSpanIdHex);
  const absl::string_view flags = value.substr(53, 2);
  if (!IsLowerHex(trace_id) || !IsLowerHex(span_id) || !IsLowerHex(flags) ||
      AllZero(trace_id) || AllZero(span_id)) {
    return std::nullopt;
  }
  Context context;
  context.trace_id = std::string(trace_id);
  context.span_id = std::string(span_id);
  const uint8_t flag_bits =
      static_cast<uint8_t>(HexValue(flags[0]) * 16 + HexValue(flags[1]));
  if (version == "00") {
    // Version 00 has nothing after the flags.
    if (value.size() != kVersion00Length) return std::nullopt;
    context.flags = flag_bits;
  } else {
    // A later version may append fields, after a '-'; of its flags only
    // the sampled bit is known to us.
    if (value.size() > kVersion00Length && value[kVersion00Length] != '-') {
      return std::nullopt;
    }
    context.flags = flag_bits & kSampled;
  }
  return context;
}

std::string Format(const Context& context) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "00-";
  out.reserve(kVersion00Length);
  out += context.trace_id;
  out += '-';
  out += context.span_id;
  out += '-';
  out += kDigits[context.flags >> 4];
  out += kDigits[context.flags & 0x0f];
  return out;
}

std::string NewTraceId() { return RandomHex(kTraceIdHex); }
std::string NewSpanId() { return RandomHex(kSpanIdHex); }

Context NewTrace() {
  Context context;
  context.trace_id = NewTraceId();
  context.span_id = NewSpanId();
  context.flags = kSampled;
  return context;
}

Context ChildOf(const Context& parent) {
  Context child = parent;
  child.span_id = NewSpanId();
  return child;
}

Context Continue(absl::string_view traceparent, absl::string_view tracestate) {
  std::optional<Context> parent = Parse(traceparent);
  if (!parent.has_value()) return NewTrace();
  if (tracestate.size() <= kMaxTracestateBytes) {
    parent->tracestate = std::string(tracestate);
  }
  return ChildOf(*parent);
}

const Context* Current() { return current; }

std::string CurrentTraceId() {
  return current == nullptr ? std::string() : current->trace_id;
}

Scope::Scope(Context context)
    : context_(std::move(context)), previous_(current) {
  current = &context_;
}

Scope::~Scope() { current = previous_; }

}  // namespace unionhub::trace
