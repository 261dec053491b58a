#!/usr/bin/env python3
"""workflow_check.py [WORKFLOW]: .github/workflows/ci.yml parses as YAML and has

  - triggers push and pull_request;
  - a job on an x86_64 runner (runs-on ubuntu-*, not *-arm) whose steps run
    `bash ci/test-all`;
  - a job on an arm64 runner (runs-on *-arm*) that looks for /dev/kvm, runs
    `bash ci/test-all` only when it is there (an `if:` on the kvm step's
    output, and --device /dev/kvm), and prints "skipped: no KVM" otherwise.

Prints PASS/FAIL lines and ends with "N passed, N failed". Needs python3-yaml
(ci/setup installs it).
"""
import os
import sys

import yaml

results = []


def check(ok, what):
    results.append(ok)
    print(("PASS: " if ok else "FAIL: ") + what)


def runs(job):
    """The steps' run: scripts of a job, each with its if: condition."""
    return [(s.get("run", ""), str(s.get("if", ""))) for s in job.get("steps", [])
            if isinstance(s, dict)]


def main():
    top = os.path.dirname(os.path.abspath(__file__)) + "/../.."
    path = sys.argv[1] if len(sys.argv) > 1 else f"{top}/.github/workflows/ci.yml"
    try:
        with open(path, encoding="utf-8") as f:
            wf = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        check(False, f"{path} parses as YAML: {e}")
        return finish()
    check(isinstance(wf, dict), "the workflow is a mapping")
    if not isinstance(wf, dict):
        return finish()
    # YAML 1.1 reads the key `on` as the boolean true.
    on = wf.get("on", wf.get(True))
    triggers = on if isinstance(on, (dict, list)) else [on]
    for t in ("push", "pull_request"):
        check(t in triggers, f"triggered on {t}")

    jobs = wf.get("jobs") or {}
    x86 = {n: j for n, j in jobs.items()
           if "ubuntu" in str(j.get("runs-on")) and "arm" not in str(j.get("runs-on"))}
    arm = {n: j for n, j in jobs.items() if "arm" in str(j.get("runs-on"))}
    check(len(x86) == 1, f"one x86_64 job (runs-on ubuntu-*): {sorted(x86)}")
    check(len(arm) == 1, f"one arm64 job (runs-on *-arm): {sorted(arm)}")
    for name, job in x86.items():
        cmds = runs(job)
        check(any("bash ci/test-all" in r and not c for r, c in cmds),
              f"job {name} runs `bash ci/test-all` unconditionally")
        img = str((job.get("container") or {}).get("image", ""))
        check(img.startswith("debian:12"), f"job {name} runs in Debian 12 (container {img!r})")
    for name, job in arm.items():
        cmds = runs(job)
        probe = [s for s in job.get("steps", []) if "/dev/kvm" in str(s.get("run", ""))
                 and "GITHUB_OUTPUT" in str(s.get("run", ""))]
        check(len(probe) == 1 and probe[0].get("id"), f"job {name} looks for /dev/kvm in a step with an id")
        pid = probe[0].get("id") if probe else None
        kvm_runs = [r for r, c in cmds if "bash ci/test-all" in r]
        conds = [c for r, c in cmds if "bash ci/test-all" in r]
        check(len(kvm_runs) == 1 and pid and f"steps.{pid}.outputs" in conds[0]
              and "== 'true'" in conds[0],
              f"job {name} runs `bash ci/test-all` only when /dev/kvm is there: {conds}")
        check(bool(kvm_runs) and "--device /dev/kvm" in kvm_runs[0],
              f"job {name} passes /dev/kvm to the test container")
        check(any("skipped: no KVM" in r for r, c in cmds),
              f"job {name} prints 'skipped: no KVM' without it")
    return finish()


def finish():
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
