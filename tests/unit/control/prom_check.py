#!/usr/bin/env python3
# prom_check.py FILE: a strict checker of the Prometheus text exposition
# format (version 0.0.4), standing in for `promtool check metrics`, which
# Debian ships only inside the 96 MB prometheus server package. Exits 0 and
# prints "ok: N families, M samples", or exits 1 naming the first bad line.
#
# Checked: every line is a HELP, TYPE or sample line (or another comment);
# metric and label names match the grammar; label values are quoted with
# only \\ \" \n escapes; values are floats (or NaN, +Inf, -Inf); a TYPE line
# is one of the five types, comes once, before its family's samples; HELP
# once per family; a family's samples are contiguous; no series repeats;
# counters end in _total; the text ends with a newline.
import re
import sys

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
TYPES = {'counter', 'gauge', 'histogram', 'summary', 'untyped'}


def fail(lineno, line, why):
    print(f'line {lineno}: {why}: {line!r}')
    sys.exit(1)


def parse_labels(s, lineno, line):
    labels, i = [], 0
    while i < len(s):
        m = re.match(LABEL, s[i:])
        if not m:
            fail(lineno, line, 'bad label name')
        name = m.group(0)
        i += len(name)
        if s[i:i + 2] != '="':
            fail(lineno, line, f'label {name}: want ="')
        i += 2
        val = ''
        while True:
            if i >= len(s):
                fail(lineno, line, f'label {name}: unterminated value')
            c = s[i]
            if c == '\\':
                if i + 1 >= len(s) or s[i + 1] not in '\\"n':
                    fail(lineno, line, f'label {name}: bad escape')
                val += s[i:i + 2]
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == '\n':
                fail(lineno, line, f'label {name}: raw newline')
            else:
                val += c
                i += 1
        if name in (n for n, _ in labels):
            fail(lineno, line, f'label {name} given twice')
        labels.append((name, val))
        if i < len(s):
            if s[i] != ',':
                fail(lineno, line, 'want , between labels')
            i += 1
    return tuple(sorted(labels))


def family_of(sample, types):
    for suffix in ('_bucket', '_sum', '_count'):
        base = sample[:-len(suffix)] if sample.endswith(suffix) else None
        if base and types.get(base) in ('histogram', 'summary'):
            return base
    return sample


def main():
    text = open(sys.argv[1], encoding='utf-8').read()
    if not text.endswith('\n'):
        print('the text does not end with a newline')
        sys.exit(1)
    types, helps, series, done = {}, set(), set(), set()
    current, samples = None, 0
    for lineno, line in enumerate(text[:-1].split('\n'), 1):
        if line == '':
            fail(lineno, line, 'empty line')
        if line.startswith('#'):
            m = re.match(rf'# (HELP|TYPE) ({NAME})(?: (.*))?$', line)
            if not m:
                if re.match(r'# (HELP|TYPE)\b', line):
                    fail(lineno, line, 'malformed HELP/TYPE line')
                continue
            kind, name, rest = m.groups()
            if name in done and name != current:
                fail(lineno, line, f'{name}: family continues after another one')
            if kind == 'TYPE':
                if rest not in TYPES:
                    fail(lineno, line, f'{name}: unknown type {rest!r}')
                if name in types:
                    fail(lineno, line, f'{name}: second TYPE line')
                if name == current:
                    fail(lineno, line, f'{name}: TYPE after its samples')
                if rest == 'counter' and not name.endswith('_total'):
                    fail(lineno, line, f'{name}: a counter should end in _total')
                types[name] = rest
            else:
                if name in helps:
                    fail(lineno, line, f'{name}: second HELP line')
                if not rest:
                    fail(lineno, line, f'{name}: empty HELP')
                helps.add(name)
            continue
        m = re.match(rf'({NAME})(?:\{{(.*)\}})? (\S+)(?: (-?[0-9]+))?$', line)
        if not m:
            fail(lineno, line, 'not a sample line')
        name, labels, value = m.group(1), m.group(2) or '', m.group(3)
        if value not in ('NaN', '+Inf', '-Inf'):
            try:
                float(value)
            except ValueError:
                fail(lineno, line, f'value {value!r} is not a number')
            if not re.match(r'^[-+]?([0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?|[0-9]+\.)$', value):
                fail(lineno, line, f'value {value!r} is not a Prometheus float')
        fam = family_of(name, types)
        if fam not in types:
            fail(lineno, line, f'{fam}: sample without a TYPE line before it')
        if fam != current:
            if fam in done:
                fail(lineno, line, f'{fam}: samples not contiguous')
            if current:
                done.add(current)
            current = fam
        key = (name, parse_labels(labels, lineno, line))
        if key in series:
            fail(lineno, line, 'series repeated')
        if types[fam] == 'counter' and value.startswith('-'):
            fail(lineno, line, 'negative counter')
        series.add(key)
        samples += 1
    print(f'ok: {len(types)} families, {samples} samples')


main()
