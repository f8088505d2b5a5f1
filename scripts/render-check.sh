#!/usr/bin/env bash
# Turn every document yishi writes into PNG pages, so that a person can look at them as they
# would print: Word via LibreOffice (headless) → PDF, HTML via Chromium (headless) → PDF,
# spreadsheets via LibreOffice Calc → PDF, then pdftoppm → one PNG per page.
#
#   scripts/render-check.sh [OUT_DIR]       (default: target/render-check)
#
# Builds the two-meeting council of scripts/messy-council.sh in OUT_DIR/council (the Tingtang
# demo's M1, then a messy M2), writes both meetings' minutes, meeting notices, decision notices
# and sign-in sheets (M2's also with 30 blank rows, to see the header row repeat), two result
# notices, the report and the ledger in zh-CN and English (each format picked by the file
# name), and renders them.
# The GB/T 9704 faces (方正小标宋, 仿宋, 楷体, 黑体) are usually missing here: scripts/fonts.conf
# maps them to Noto CJK and AR PL UKai, so these pages show the fallback a machine without
# them prints. Then scripts/pdf-pages-check.py reads the PDFs back and fails (exit 1) when a
# page holds only a signature block, a check code or a heading, when a sign-in page has rows
# without its header row, or when a workbook's printed text misses a cell's text.
# Installs what it needs with apt (Debian/Ubuntu, as root) when a tool is missing.
set -euo pipefail

out=${1:-target/render-check}
yishi=${YISHI:-target/debug/yishi}
[ -x "$yishi" ] || cargo build --quiet
mkdir -p "$out"
out=$(cd "$out" && pwd)

missing=()
command -v soffice >/dev/null || missing+=(libreoffice-writer libreoffice-calc)
command -v chromium >/dev/null || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
fc-list 2>/dev/null | grep "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep "AR PL UKai" >/dev/null || missing+=(fonts-arphic-ukai)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$out/docs" "$out/pdf" "$out/png"
mkdir -p "$out/docs" "$out/pdf" "$out/png"
# The two-meeting council (scripts/messy-council.sh): M1 from the demo, M2 with an objection,
# a re-raise, a proxy, a late arrival, an early leave, a corrected speech, a recount, a
# deferral, a reopening and moved due dates.
rm -rf "$out/council"
YISHI="$yishi" "$(dirname "$0")/messy-council.sh" "$out/council" >/dev/null
db="$out/council/messy.db"

export FONTCONFIG_FILE
FONTCONFIG_FILE=$(cd "$(dirname "$0")" && pwd)/fonts.conf
y() { YISHI_NOW=2026-10-21T10:00:00+08:00 "$yishi" --db "$db" --quiet "$@"; }
d="$out/docs"
for lang in zh-CN en; do
  for ext in html docx; do
    for m in M1 M2; do
      y minutes export "$m" --lang "$lang" -o "$d/minutes-$m-$lang.$ext"
      y council notice "$m" --lang "$lang" -o "$d/meeting-notice-$m-$lang.$ext"
      y notice decision "$m" --lang "$lang" -o "$d/decision-notice-$m-$lang.$ext"
      y council signin "$m" --lang "$lang" -o "$d/signin-$m-$lang.$ext"
    done
    y notice result 1 --lang "$lang" -o "$d/result-notice-1-$lang.$ext"
    y notice result 10 --lang "$lang" -o "$d/result-notice-10-$lang.$ext"
    y council signin M2 --lang "$lang" --blank 30 -o "$d/signin30-M2-$lang.$ext"
  done
  y ledger --year 2026 --lang "$lang" -o "$d/ledger-$lang.xlsx"
  y report --lang "$lang" -o "$d/report-$lang.html"
  y report --lang "$lang" -o "$d/report-$lang.xlsx"
done

for f in "$d"/*.docx "$d"/*.xlsx; do
  soffice --headless --convert-to pdf --outdir "$out/pdf" "$f" >/dev/null 2>&1
done
for f in "$d"/*.html; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-pdf-header-footer --print-to-pdf="$out/pdf/$(basename "${f%.html}")-html.pdf" \
    "file://$f" >/dev/null 2>&1
done
for p in "$out/pdf"/*.pdf; do
  pdftoppm -r 50 -png "$p" "$out/png/$(basename "${p%.pdf}")"
done
echo "pages: $out/png" >&2
python3 "$(dirname "$0")/pdf-pages-check.py" "$out/pdf" "$d"
