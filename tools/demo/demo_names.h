// Word lists for the demo county: names of people, places and employers.
// Pure data; the generator in demo_plan.cc combines them deterministically.
#ifndef UNIONHUB_TOOLS_DEMO_DEMO_NAMES_H_
#define UNIONHUB_TOOLS_DEMO_DEMO_NAMES_H_

#include "absl/types/span.h"

namespace unionhub::demo::names {

using List = absl::Span<const char* const>;

// Chinese surnames, most frequent first.
List Surnames();
// Characters for given names.
List MaleGivenChars();
List FemaleGivenChars();
List NeutralGivenChars();
// Ethnic groups other than 汉族 that appear in the county.
List MinorityEthnicities();

// The 12 townships and streets (乡镇/街道) of the county; the first four form
// the county seat.
List Townships();
// Road names for addresses.
List Roads();

// Trade names (字号), industries and legal-form suffixes for private firms.
List TradeNames();
List Industries();
List CompanySuffixes();

// Employers under county-level names: state-owned enterprises, public
// institutions (事业单位) and government agencies (机关), without the
// county's name (prefixed when generated).
List StateOwnedEmployers();
List CountyInstitutions();
List CountyAgencies();
// Per-township public institutions, appended to the township's name.
List TownshipInstitutions();

// Mobile number prefixes.
List MobilePrefixes();

}  // namespace unionhub::demo::names

#endif  // UNIONHUB_TOOLS_DEMO_DEMO_NAMES_H_
