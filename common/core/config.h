// Flags with environment fallbacks: every absl flag `--foo_bar` may instead
// be given as UNIONHUB_FOO_BAR; a flag on the command line wins.
#ifndef UNIONHUB_COMMON_CORE_CONFIG_H_
#define UNIONHUB_COMMON_CORE_CONFIG_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace unionhub::config {

// "db_uri" -> "UNIONHUB_DB_URI".
std::string EnvNameForFlag(absl::string_view flag_name);

// Applies environment fallbacks, then parses the command line (exits on bad
// flags, as absl does). Returns the positional arguments.
std::vector<char*> ParseFlags(int argc, char** argv, absl::string_view usage);

}  // namespace unionhub::config

#endif  // UNIONHUB_COMMON_CORE_CONFIG_H_
