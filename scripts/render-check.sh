#!/usr/bin/env bash
# Turn every document yishi writes into PNG pages, so that a person can look at them as they
# would print: Word via LibreOffice (headless) → PDF, HTML via Chromium (headless) → PDF,
# spreadsheets via LibreOffice Calc → PDF, then pdftoppm → one PNG per page.
#
#   scripts/render-check.sh [OUT_DIR]       (default: target/render-check)
#
# Builds the Tingtang example (`yishi demo`) in OUT_DIR, writes the minutes, the three notices,
# the blank sign-in sheet, the report and the ledger in zh-CN and English, and renders them.
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
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$out/docs" "$out/pdf" "$out/png"
mkdir -p "$out/docs" "$out/pdf" "$out/png"
db="$out/tingtang.db"
rm -f "$db" "$db-wal" "$db-shm" "$out/yishi.toml"
"$yishi" --db "$db" demo >/dev/null
# The residents' committee's contact, as a community would set it in yishi.toml.
printf 'contact = "王秘书"\ncontact_phone = "0571-8888 1234"\n%s\n' "$(cat "$out/yishi.toml")" >"$out/yishi.toml"

y() { YISHI_NOW=2026-08-25T09:00:00+08:00 "$yishi" --db "$db" --quiet "$@"; }
d="$out/docs"
for lang in zh-CN en; do
  y minutes export M1 --lang "$lang" --format html -o "$d/minutes-$lang.html"
  y minutes export M1 --lang "$lang" --format docx -o "$d/minutes-$lang.docx"
  y council notice M1 --lang "$lang" --date 2026-06-05 --format html -o "$d/meeting-notice-$lang.html"
  y council notice M1 --lang "$lang" --date 2026-06-05 --format docx -o "$d/meeting-notice-$lang.docx"
  y notice decision M1 --lang "$lang" --date 2026-06-13 --format html -o "$d/decision-notice-$lang.html"
  y notice decision M1 --lang "$lang" --date 2026-06-13 --format docx -o "$d/decision-notice-$lang.docx"
  y notice result 1 --lang "$lang" --date 2026-08-25 --format html -o "$d/result-notice-$lang.html"
  y notice result 1 --lang "$lang" --date 2026-08-25 --format docx -o "$d/result-notice-$lang.docx"
  y council signin M1 --lang "$lang" --format html -o "$d/signin-$lang.html"
  y council signin M1 --lang "$lang" --format docx -o "$d/signin-$lang.docx"
  y ledger --year 2026 --lang "$lang" -o "$d/ledger-$lang.xlsx"
  y report --lang "$lang" --html -o "$d/report-$lang.html"
  y report --lang "$lang" --format xlsx -o "$d/report-$lang.xlsx"
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
ls "$out/png"
