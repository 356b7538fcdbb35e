#!/usr/bin/env python3
"""Parses a JUnit XML report with python's minidom; exit 1 unless it is well formed and its
root is <testsuites> holding one <testsuite> whose tests= matches its <testcase> count."""
import sys
import xml.dom.minidom
from xml.parsers.expat import ExpatError

try:
    doc = xml.dom.minidom.parse(sys.argv[1])
except (ExpatError, OSError) as e:
    print(f"{sys.argv[1]}: {e}")
    sys.exit(1)
root = doc.documentElement
suites = root.getElementsByTagName("testsuite")
cases = root.getElementsByTagName("testcase")
failures = sum(len(c.getElementsByTagName("failure")) for c in cases)
problems = []
if root.tagName != "testsuites" or len(suites) != 1:
    problems.append("want <testsuites> with one <testsuite>")
for e in [root] + list(suites):
    if e.getAttribute("tests") != str(len(cases)) or e.getAttribute("failures") != str(failures):
        problems.append(f"<{e.tagName}> says tests={e.getAttribute('tests')} failures={e.getAttribute('failures')}, "
                        f"has {len(cases)} testcases, {failures} failures")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{len(cases)} testcases, {failures} failures: well formed")
