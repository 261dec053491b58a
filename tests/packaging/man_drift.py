#!/usr/bin/env python3
"""man_drift.py TOP: the man pages in TOP/man against the reference in TOP/docs.

Compares, and prints one line per difference (exit 1 when there is any):
  nipcell-cell.toml.5   tables (.SS [t]) and keys (.TP / .B t.k), each key's
                        type (the first word of its entry) and the values its
                        entry names (numbers, sizes, strings, booleans) with
                        docs/cell-toml.md (## [t] and ### t.k headings, each
                        key's | type | default | range | row)
  nipcell-vmm.1         subcommands (.SS under COMMANDS) with docs/nipcell-vmm.md
                        (## headings) and the usage text in vmm/main.c; run's
                        options (.TP under .SS run) with the docs' ### Options
                        table and usage(); exit
                        statuses (.TP / .B N under EXIT STATUS) with the docs'
                        table and enum nc_exit in vmm/machine.h; control
                        commands (.TP / .B cmd under .SS ctl) with the Commands
                        table of docs/control.md
"""
import re
import sys


def read(top, path):
    with open(f"{top}/{path}", encoding="utf-8") as f:
        return f.read()


def man_sections(text):
    """{(SH, SS): [lines]} of a roff page."""
    out, sh, ss = {}, None, None
    for line in text.splitlines():
        if line.startswith(".SH "):
            sh, ss = line[4:].strip().strip('"'), None
            continue
        if line.startswith(".SS "):
            ss = line[4:].strip().strip('"')
            out.setdefault((sh, ss), [])
            continue
        out.setdefault((sh, ss), []).append(line)
    return out


def tp_entries(lines):
    """[(tag, first body line)] of the .TP entries whose tag is '.B word'."""
    out = []
    for i, line in enumerate(lines[:-1]):
        if line == ".TP" and lines[i + 1].startswith(".B "):
            tag = lines[i + 1][3:].split()[0].replace("\\fI", "").replace("\\fP", "")
            body = lines[i + 2] if i + 2 < len(lines) else ""
            out.append((tag, body))
    return out


def values(cells):
    """The numbers, sizes and strings in a key's default and range cells, less
    what is in parentheses (the names of constants): what the man page must
    say too. '`1500`' -> 1500; '64M–16G (`NC_RAM_MIN`–...)' -> 64M, 16G."""
    text = re.sub(r"\([^)]*\)", "", cells)
    text = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", text)
    out = re.findall(r'"[^"]*"|0x[0-9a-fA-F_]+|\b[0-9]+[KMG]?\b|\btrue\b|\bfalse\b',
                     text.replace("`", ""))
    return list(dict.fromkeys(out))


def entry_text(lines, tag):
    """The plain text of the .TP entry for tag, up to the next entry."""
    i = lines.index(".B " + tag)
    body = []
    for line in lines[i + 1:]:
        if line in (".TP", ".PP") or line.startswith(".SS"):
            break
        body.append(re.sub(r"^\.[A-Z]+ ?", "", line))
    text = " ".join(body)
    for a, b in (("\\(en", "–"), ("\\-", "-"), ("\\e", "\\"), ('""', '"')):
        text = text.replace(a, b)
    return re.sub(r"\\f.", "", text)


def compare(what, docs, man, problems, docs_name, man_name):
    for x in sorted(set(docs) - set(man), key=str):
        problems.append(f"{what} '{x}' is in {docs_name} but not in {man_name}")
    for x in sorted(set(man) - set(docs), key=str):
        problems.append(f"{what} '{x}' is in {man_name} but not in {docs_name}")


def cell_toml(top, problems):
    docs = read(top, "docs/cell-toml.md")
    man = read(top, "man/nipcell-cell.toml.5")
    d_tables = re.findall(r"^## (\[\[?[a-z_]+\]\]?)\s*$", docs, re.M)
    d_types, d_values = {}, {}
    for m in re.finditer(r"^### ([a-z_]+\.[a-z_]+)\s*\n+\|[^\n]*\n\|[-|]+\|\n\|([^\n]*)\|",
                         docs, re.M):
        cells = [c.strip() for c in m.group(2).split("|")]
        d_types[m.group(1)] = cells[0]
        d_values[m.group(1)] = values(" ".join(cells[1:]))
    d_keys = re.findall(r"^### ([a-z_]+\.[a-z_]+)\s*$", docs, re.M)
    for k in d_keys:
        if k not in d_types:
            problems.append(f"docs/cell-toml.md: key '{k}' has no | type | default | range | table")
    secs = man_sections(man)
    m_tables = [ss for (sh, ss) in secs if sh == "KEYS" and ss]
    m_types, m_text = {}, {}
    for (sh, ss), lines in secs.items():
        if sh != "KEYS":
            continue
        for tag, body in tp_entries(lines):
            m_text[tag] = entry_text(lines, tag)
            m_types[tag] = re.sub(r"\\f.", "", body).split(",")[0].split()[0].lower() \
                if body.strip() else ""
            if ss is None or tag.split(".")[0] != ss.strip("[]"):
                problems.append(f"man/nipcell-cell.toml.5: key '{tag}' is not under its table")
    m = "man/nipcell-cell.toml.5"
    compare("table", d_tables, m_tables, problems, "docs/cell-toml.md", m)
    compare("key", d_keys, m_types, problems, "docs/cell-toml.md", m)
    for k in sorted(set(d_types) & set(m_types)):
        if d_types[k] != m_types[k]:
            problems.append(f"key '{k}': type '{d_types[k]}' in docs/cell-toml.md, "
                            f"'{m_types[k]}' in {m}")
    for k in sorted(set(d_values) & set(m_text)):
        for v in d_values[k]:
            if not re.search(r"(?<![0-9A-Za-z])" + re.escape(v) + r"(?![0-9A-Za-z])", m_text[k]):
                problems.append(f"key '{k}': {v} (default or range in docs/cell-toml.md) "
                                f"is not in its entry in {m}")
    return len(d_keys)


def vmm(top, problems):
    docs = read(top, "docs/nipcell-vmm.md")
    man = read(top, "man/nipcell-vmm.1")
    main = read(top, "vmm/main.c")
    machine = read(top, "vmm/machine.h")
    ctl = read(top, "docs/control.md")
    m = "man/nipcell-vmm.1"
    secs = man_sections(man)

    d_cmds = [h for h in re.findall(r"^## (\S+)\s*$", docs, re.M)]
    usage = re.search(r"static void usage\(FILE \*f\)\n\{(.*?)\n\}", main, re.S)
    u_cmds = []
    if usage:
        u_cmds = re.findall(r"nipcell-vmm (?:\[[^\]]*\] )*([a-z][a-z-]*)", usage.group(1))
    else:
        problems.append("vmm/main.c: no usage() found")
    m_cmds = [ss for (sh, ss) in secs if sh == "COMMANDS" and ss]
    compare("subcommand", d_cmds, m_cmds, problems, "docs/nipcell-vmm.md", m)
    compare("subcommand", u_cmds, m_cmds, problems, "vmm/main.c usage()", m)

    # run's options: the docs' Options table, usage(), the .TP entries of
    # the man page's run section.
    opt = r"(?<![\w-])(--?[a-z][a-z-]*)"
    op = re.search(r"^### Options\s*$(.*?)(?=^##|\Z)", docs, re.M | re.S)
    d_opts = []
    for row in re.findall(r"^\|([^|\n]*)\|", op.group(1), re.M) if op else []:
        d_opts += re.findall(opt, row.replace("`", " "))
    u_text = usage.group(1) if usage else ""
    u_run = "\n".join(re.findall(r"nipcell-vmm run [^\n]*", u_text))
    if "run options:" in u_text:
        u_run += u_text[u_text.index("run options:"):]
    u_opts = re.findall(opt, u_run)
    lines = secs.get(("COMMANDS", "run"), [])
    m_opts = []
    for i, line in enumerate(lines[:-1]):
        if line == ".TP":
            m_opts += re.findall(opt, re.sub(r"\\f.", "", lines[i + 1]).replace("\\-", "-"))
    compare("run option", d_opts, m_opts, problems, "docs/nipcell-vmm.md (### Options)", m)
    compare("run option", u_opts, m_opts, problems, "vmm/main.c usage()", m)

    ex = re.search(r"^## Exit status\s*$(.*?)(?=^## |\Z)", docs, re.M | re.S)
    d_exit = re.findall(r"^\| *([0-9]+) *\|", ex.group(1), re.M) if ex else []
    if not d_exit:
        problems.append("docs/nipcell-vmm.md: no '## Exit status' table")
    enum = re.search(r"enum nc_exit \{(.*?)\};", machine, re.S)
    e_exit = re.findall(r"NC_EXIT_\w+\s*=\s*([0-9]+)", enum.group(1)) if enum else []
    m_exit = [t for t, _ in tp_entries(secs.get(("EXIT STATUS", None), []))]
    compare("exit status", d_exit, m_exit, problems, "docs/nipcell-vmm.md", m)
    compare("exit status", e_exit, m_exit, problems, "enum nc_exit (vmm/machine.h)", m)

    cm = re.search(r"^## Commands\s*$(.*?)(?=^## |\Z)", ctl, re.M | re.S)
    d_ctl = re.findall(r"^\| *`([a-z]+)[^`]*` *\|", cm.group(1), re.M) if cm else []
    if not d_ctl:
        problems.append("docs/control.md: no '## Commands' table")
    m_ctl = [t for t, _ in tp_entries(secs.get(("COMMANDS", "ctl"), []))]
    compare("control command", d_ctl, m_ctl, problems, "docs/control.md", m)
    return len(d_cmds), len(set(d_opts)), len(d_exit), len(set(d_ctl))


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    nkeys = cell_toml(top, problems)
    ncmds, nopts, nexit, nctl = vmm(top, problems)
    for p in problems:
        print(f"man-drift: {p}")
    if problems:
        print(f"man-drift: {len(problems)} difference(s) between man/ and docs/")
        return 1
    print(f"man-drift: man pages match docs/: {nkeys} keys, {ncmds} subcommands, "
          f"{nopts} run options, {nexit} exit statuses, {nctl} control commands")
    return 0


if __name__ == "__main__":
    sys.exit(main())
