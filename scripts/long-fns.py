#!/usr/bin/env python3
"""List the library's and the binary's non-test functions longer than a limit (default 80
lines), longest first: `python3 scripts/long-fns.py [LIMIT] [PATHS...]`.

A function is counted from its `fn` line to the line of its closing brace, found by
counting braces outside strings, chars and comments; `#[cfg(test)]` modules and `#[test]`
functions are skipped. Good enough to find what to split, not a parser."""
import os
import re
import sys

FN = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)')


def strip(line, state):
    """The line without strings, chars and comments; state carries block comments and
    multi-line strings (raw strings are treated as plain strings)."""
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if state['block']:
            if line.startswith('*/', i):
                state['block'] = False
                i += 2
            else:
                i += 1
            continue
        if state['string']:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                state['string'] = False
            i += 1
            continue
        if line.startswith('//', i):
            break
        if line.startswith('/*', i):
            state['block'] = True
            i += 2
            continue
        if c == '"':
            state['string'] = True
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.|[^\\'])'", line[i:])
            if m:
                i += len(m.group(0))
                continue
        out.append(c)
        i += 1
    return ''.join(out)


def functions(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    state = {'block': False, 'string': False}
    depth = 0
    skip_until = None  # depth at which a test module or test fn ends
    pending_test = False
    open_fns = []  # (name, start line, depth at start)
    for n, raw in enumerate(lines, 1):
        code = strip(raw, state)
        s = raw.strip()
        if s.startswith('#[cfg(test)]') or s.startswith('#[test]'):
            pending_test = True
        m = FN.match(raw)
        if m and skip_until is None:
            if pending_test:
                skip_until = depth
            else:
                open_fns.append((m.group(6), n, depth))
            pending_test = False
        elif s.startswith('mod ') and pending_test and skip_until is None:
            skip_until = depth
            pending_test = False
        for c in code:
            if c == '{':
                depth += 1
            elif c == '}':
                depth -= 1
                if skip_until is not None and depth == skip_until:
                    skip_until = None
                while open_fns and depth == open_fns[-1][2]:
                    name, start, _ = open_fns.pop()
                    yield name, start, n
        # A declaration without a body (trait method) ends at `;`.
        if open_fns and depth == open_fns[-1][2] and code.rstrip().endswith(';'):
            open_fns.pop()


def main():
    args = sys.argv[1:]
    limit = int(args.pop(0)) if args and args[0].isdigit() else 80
    roots = args or ['crates/yishi-core/src', 'src']
    found = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for f in files:
                if f.endswith('.rs'):
                    path = os.path.join(folder, f)
                    for name, start, end in functions(path):
                        length = end - start + 1
                        if length > limit:
                            found.append((length, f'{path}:{start}', name))
    for length, place, name in sorted(found, reverse=True):
        print(f'{length:5}  {place}  {name}')
    print(f'{len(found)} function(s) over {limit} lines', file=sys.stderr)


main()
