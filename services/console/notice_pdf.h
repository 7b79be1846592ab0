// The 公示 notice of an awards programme as a PDF the committee can post:
// the programme, the publicity dates, the name list with the national IDs
// exactly as AwardsService.GetPublicityNotice gives them (always masked;
// the console never sees more), and where objections go.
//
// Rendered with libharu and its built-in Chinese fonts (HPDF_UseCNSFonts:
// SimSun, SimHei as non-embedded CID fonts with the GBK-EUC-H CMap), so
// the server needs no font files, no browser process and nothing at run
// time beyond the library; ASCII runs (dates, masked IDs) are set in
// Helvetica so text extraction gives plain digits, not fullwidth ones.
#ifndef UNIONHUB_SERVICES_CONSOLE_NOTICE_PDF_H_
#define UNIONHUB_SERVICES_CONSOLE_NOTICE_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "unionhub/awards/v1/awards.pb.h"

namespace unionhub::console {

absl::StatusOr<std::string> NoticePdf(
    const ::unionhub::awards::v1::GetPublicityNoticeResponse& notice);

}  // namespace unionhub::console

#endif  // UNIONHUB_SERVICES_CONSOLE_NOTICE_PDF_H_
