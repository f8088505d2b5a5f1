#!/usr/bin/env python3
"""Read rendered PDFs back (pdftotext, page by page) and fail on what a street office sends
back (GB/T 9704 7.3.5 and common sense):

- a page that holds only a signature block, a check code or a heading (nothing else but the
  page number), or nothing at all;
- a page of a table that runs on without its header row (the sign-in sheets: every page that
  holds table rows must show the header words; workbooks: every printed page shows the header
  row of a sheet);
- a workbook whose printed text misses a cell's text (every shared string of the .xlsx must
  appear in the PDF, whitespace aside).

Usage: pdf-pages-check.py PDF_DIR DOCS_DIR   (prints one line per document: pages and result)
"""
import re, subprocess, sys, zipfile, pathlib, html

PAGE_NO = re.compile(r"^(—\s*\d+\s*—|第\s*\d+\s*页，共\s*\d+\s*页|Page \d+ of \d+|-\s*\d+\s*-)$")
SIGN = re.compile(
    r"(签名|盖章|居民委员会|Residents' Committee|记录校验码|Record check code|signature|Signature|"
    r"^\d{4}年\d{1,2}月\d{1,2}日$|^\d{1,2} \w+ \d{4}$|（盖章处）|\(seal\)|＿＿)"
)

def pages(pdf):
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")

def lines(page):
    return [l.strip() for l in page.splitlines() if l.strip() and not PAGE_NO.match(l.strip())]

def lonely(ls):
    """Only a signature block / check code / heading on this page."""
    if not ls:
        return False  # an empty page is another matter (never seen)
    if all(SIGN.search(l) for l in ls):
        return True
    # A note and the signature lines, with no row of a table or body text beside them.
    if len(ls) <= 4 and any(SIGN.search(l) for l in ls) and not any(re.match(r"^\d+(\s|$)", l) for l in ls):
        return True
    return len(ls) == 1 and len(ls[0]) < 30

def shared_strings(xlsx):
    with zipfile.ZipFile(xlsx) as z:
        xml = z.read("xl/sharedStrings.xml").decode()
    return [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<si>(.*?)</si>", xml, re.S)]

def sheet_headers(xlsx):
    """Each sheet's header row (row 3, under the title and period lines), as its cells' text."""
    strings = shared_strings(xlsx)
    out = []
    with zipfile.ZipFile(xlsx) as z:
        for name in sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)):
            xml = z.read(name).decode()
            row = re.search(r'<row r="3"[^>]*>(.*?)</row>', xml, re.S)
            if not row:
                continue
            cells = re.findall(r'<c [^>]*t="s"[^>]*><v>(\d+)</v></c>', row.group(1))
            out.append([strings[int(i)] for i in cells])
    return out

def squash(s):
    return re.sub(r"\s+", "", s)

def printed_whole(cell, printed):
    """Whether every part of a cell's text is in the print: a wrapped cell's lines sit among
    the neighbouring columns' text, so the text is matched piece by piece (each piece the
    longest run found in the print, at least 4 characters or what is left)."""
    i = 0
    while i < len(cell):
        j = len(cell)
        while j > i and cell[i:j] not in printed:
            j -= 1
        if j - i < min(4, len(cell) - i):
            return False
        i = j
    return True

def main(pdf_dir, docs_dir):
    failures = 0
    for pdf in sorted(pathlib.Path(pdf_dir).glob("*.pdf")):
        ps = pages(pdf)
        problems = []
        for n, p in enumerate(ps, 1):
            ls = lines(p)
            if n > 1 and lonely(ls):
                problems.append(f"page {n} holds only {ls!r}")
            if not ls:
                problems.append(f"page {n} is empty (only its page number)")
        stem = pdf.stem.removesuffix("-html")
        if stem.startswith("signin"):
            header = "签名" if "zh" in stem else "Signature"
            for n, p in enumerate(ps, 1):
                rows = [l for l in lines(p) if re.match(r"^\d+\s", l)]
                if rows and header not in p:
                    problems.append(f"page {n}: table rows without the header row")
        xlsx = pathlib.Path(docs_dir) / f"{stem}.xlsx"
        if xlsx.exists() and not pdf.stem.endswith("-html"):
            # Every printed page of a sheet shows that sheet's header row.
            headers = [[squash(c) for c in h] for h in sheet_headers(xlsx)]
            for n, p in enumerate(ps, 1):
                text = squash(p)
                if lines(p) and not any(all(c in text for c in h) for h in headers if h):
                    problems.append(f"page {n}: a table page without its header row")
        if pdf.suffix == ".pdf" and xlsx.exists() and not pdf.stem.endswith("-html"):
            printed = squash("".join(ps))
            missing = [s for s in shared_strings(xlsx) if not printed_whole(squash(s), printed)]
            if missing:
                problems.append(f"cell text not printed: {missing[:5]!r} ({len(missing)} in all)")
        status = "ok" if not problems else "FAIL: " + "; ".join(problems)
        failures += bool(problems)
        print(f"{pdf.name}: {len(ps)} page(s) {status}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
