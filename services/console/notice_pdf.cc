#include "services/console/notice_pdf.h"

#include <hpdf.h>
#include <iconv.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace unionhub::console {
namespace {

namespace av1 = ::unionhub::awards::v1;

constexpr float kLeft = 60, kRight = 535, kTop = 780, kBottom = 70;

// UTF-8 to GBK, the encoding of the built-in fonts' CMap; a character
// outside GBK becomes '?' (//TRANSLIT) instead of failing the notice.
std::string Gbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GBK//TRANSLIT", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return "";
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* op = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &op, &out_left) == static_cast<size_t>(-1)) {
      // An invalid byte: skip it, mark the gap.
      ++in;
      --in_left;
      if (out_left > 0) {
        *op++ = '?';
        --out_left;
      }
    }
  }
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// A run of text in one font: ASCII in Helvetica, the rest in the CJK font.
struct Run {
  bool ascii;
  std::string text;  // UTF-8
};

std::vector<Run> Runs(const std::string& utf8) {
  std::vector<Run> runs;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, utf8.size() - i);
    const bool ascii = c < 0x80;
    if (runs.empty() || runs.back().ascii != ascii) runs.push_back({ascii, ""});
    runs.back().text.append(utf8, i, n);
    i += n;
  }
  return runs;
}

struct Writer {
  HPDF_Doc pdf = nullptr;
  HPDF_Page page = nullptr;
  HPDF_Font latin = nullptr, song = nullptr, hei = nullptr;
  float y = kTop;

  void NewPage() {
    page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y = kTop;
  }
  float Width(const std::string& utf8, HPDF_Font cjk, float size) {
    float w = 0;
    for (const Run& run : Runs(utf8)) {
      HPDF_Page_SetFontAndSize(page, run.ascii ? latin : cjk, size);
      w += HPDF_Page_TextWidth(page,
                               (run.ascii ? run.text : Gbk(run.text)).c_str());
    }
    return w;
  }
  void Text(float x, float at_y, const std::string& utf8, HPDF_Font cjk,
            float size) {
    HPDF_Page_BeginText(page);
    for (const Run& run : Runs(utf8)) {
      const std::string bytes = run.ascii ? run.text : Gbk(run.text);
      HPDF_Page_SetFontAndSize(page, run.ascii ? latin : cjk, size);
      HPDF_Page_TextOut(page, x, at_y, bytes.c_str());
      x += HPDF_Page_TextWidth(page, bytes.c_str());
    }
    HPDF_Page_EndText(page);
  }
  // A paragraph wrapped to the text width, a new page when it runs out.
  void Paragraph(const std::string& utf8, HPDF_Font cjk, float size,
                 bool centred = false) {
    std::string line;
    auto flush = [&] {
      if (y < kBottom) NewPage();
      const float x =
          centred ? (kLeft + kRight - Width(line, cjk, size)) / 2 : kLeft;
      Text(x, y, line, cjk, size);
      y -= size * 1.7f;
      line.clear();
    };
    for (size_t i = 0; i < utf8.size();) {
      const unsigned char c = static_cast<unsigned char>(utf8[i]);
      size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      n = std::min(n, utf8.size() - i);
      const std::string next = line + utf8.substr(i, n);
      if (!line.empty() && Width(next, cjk, size) > kRight - kLeft) flush();
      line += utf8.substr(i, n);
      i += n;
    }
    if (!line.empty()) flush();
  }
};

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* data) {
  auto* failed = static_cast<std::string*>(data);
  if (failed->empty()) {
    *failed =
        absl::StrCat("libharu error 0x", absl::Hex(error), " detail ", detail);
  }
}

}  // namespace

absl::StatusOr<std::string> NoticePdf(
    const av1::GetPublicityNoticeResponse& notice) {
  std::string failed;
  Writer w;
  w.pdf = HPDF_New(&OnError, &failed);
  if (w.pdf == nullptr) return absl::InternalError("cannot start the PDF");
  HPDF_UseCNSFonts(w.pdf);
  HPDF_UseCNSEncodings(w.pdf);
  w.latin = HPDF_GetFont(w.pdf, "Helvetica", nullptr);
  w.song = HPDF_GetFont(w.pdf, "SimSun", "GBK-EUC-H");
  w.hei = HPDF_GetFont(w.pdf, "SimHei", "GBK-EUC-H");
  HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "unionhub console");
  w.NewPage();

  const std::string programme =
      absl::StrCat(notice.year(), " 年度", notice.title());
  w.Paragraph(absl::StrCat(programme, "拟表彰人选公示"), w.hei, 18, true);
  w.y -= 8;
  w.Paragraph(
      absl::StrCat("经推荐、资格审查和评审委员会评审，", notice.organizer(),
                   "拟授予以下 ", notice.entries_size(), " 名同志“",
                   notice.title(), "”称号，现予公示。"),
      w.song, 12);
  w.Paragraph(
      absl::StrCat("公示期：", notice.starts_on(), " 至 ", notice.ends_on()),
      w.song, 12);
  w.y -= 6;

  // The name list: 序号, 姓名, 单位, 公民身份号码 (masked by the service).
  const float columns[] = {kLeft, kLeft + 40, kLeft + 130, kLeft + 330};
  auto header = [&] {
    w.Text(columns[0], w.y, "序号", w.hei, 11);
    w.Text(columns[1], w.y, "姓名", w.hei, 11);
    w.Text(columns[2], w.y, "单位", w.hei, 11);
    w.Text(columns[3], w.y, "公民身份号码", w.hei, 11);
    HPDF_Page_SetLineWidth(w.page, 0.5);
    HPDF_Page_MoveTo(w.page, kLeft, w.y - 5);
    HPDF_Page_LineTo(w.page, kRight, w.y - 5);
    HPDF_Page_Stroke(w.page);
    w.y -= 20;
  };
  header();
  for (int i = 0; i < notice.entries_size(); ++i) {
    if (w.y < kBottom + 20) {
      w.NewPage();
      header();
    }
    const av1::PublicityEntry& e = notice.entries(i);
    w.Text(columns[0], w.y, absl::StrCat(i + 1), w.song, 11);
    w.Text(columns[1], w.y, e.name(), w.song, 11);
    w.Text(columns[2], w.y, e.organization(), w.song, 11);
    w.Text(columns[3], w.y, e.national_id(), w.song, 11);
    w.y -= 18;
  }
  w.y -= 10;
  w.Paragraph(
      absl::StrCat("公示期间，如对公示人选有异议，请以真实姓名向",
                   notice.organizer(),
                   "书面反映，或在工会业务管理平台“评选”页面对该人选提出异议，"
                   "写明事实和理由。公示期满（",
                   notice.ends_on(), "）后提出的异议不予受理。"),
      w.song, 12);
  w.y -= 12;
  w.Paragraph(notice.organizer(), w.song, 12);
  w.Paragraph(notice.starts_on(), w.song, 12);

  std::string bytes;
  // Reading to the end reports HPDF_STREAM_EOF through the error handler
  // too: only what failed before saving counts.
  if (failed.empty() && HPDF_SaveToStream(w.pdf) == HPDF_OK) {
    HPDF_ResetStream(w.pdf);
    for (;;) {
      HPDF_BYTE buffer[8192];
      HPDF_UINT32 size = sizeof buffer;
      const HPDF_STATUS read = HPDF_ReadFromStream(w.pdf, buffer, &size);
      bytes.append(reinterpret_cast<const char*>(buffer), size);
      if (read == HPDF_STREAM_EOF) break;
      if (read != HPDF_OK) {
        bytes.clear();
        break;
      }
    }
  }
  HPDF_Free(w.pdf);
  if (bytes.empty()) {
    return absl::InternalError("cannot write the notice PDF");
  }
  return bytes;
}

}  // namespace unionhub::console
