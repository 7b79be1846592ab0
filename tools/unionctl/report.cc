#include "tools/unionctl/app.h"
namespace unionhub::unionctl {
int RunAuditReport(Globals&, const ReportOptions&) { return 1; }
}
